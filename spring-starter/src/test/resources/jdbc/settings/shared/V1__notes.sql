CREATE TABLE notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), org_id text NOT NULL, body text NOT NULL);
CREATE TABLE colours (name text PRIMARY KEY);
INSERT INTO colours VALUES ('red'), ('blue');
