-- Keys as an application writes them, on its own columns; provisioning makes them tenant-scoped.
CREATE TABLE teams (
    tenant_id text,
    id text PRIMARY KEY,
    name text UNIQUE
);
CREATE TABLE players (
    tenant_id text,
    id text PRIMARY KEY,
    team_id text REFERENCES teams (id) ON DELETE SET NULL,
    email text
);
CREATE UNIQUE INDEX players_email ON players (lower(email));
CREATE TABLE notes (
    tenant_id text,
    body text
);
CREATE TABLE countries (
    code text PRIMARY KEY,
    name text
);
INSERT INTO countries VALUES ('fr', 'France'), ('de', 'Germany');
