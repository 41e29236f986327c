-- Each tenant's own table on the schema and database models, run by provisioning as the tenant's role.
CREATE TABLE cards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    value integer NOT NULL
);
CREATE INDEX cards_name ON cards (name);
