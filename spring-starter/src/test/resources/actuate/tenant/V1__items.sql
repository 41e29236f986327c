CREATE TABLE items (k text PRIMARY KEY, v text NOT NULL);
