-- The shared tables of FieldDifferentialProperties, written as an application would: keys on id
-- alone, foreign keys on the referencing column alone; provisioning makes them lead with tenant_id.
-- The test makes the plain database it compares against from this same file, minus every line that
-- names tenant_id, so each such line holds nothing else.

-- Reference data every tenant reads: no tenant column, so tenants may not write it.
CREATE TABLE rarities (
    code text PRIMARY KEY,
    weight int NOT NULL
);
INSERT INTO rarities (code, weight) VALUES ('common', 1), ('rare', 5), ('epic', 20), ('legend', 100);

CREATE TABLE teams (
    tenant_id text NOT NULL,
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    city text
);

-- A mentor is another player of the tenant: a self-reference for recursive queries.
CREATE TABLE players (
    tenant_id text NOT NULL,
    id text PRIMARY KEY,
    team_id text REFERENCES teams (id) ON DELETE CASCADE ON UPDATE CASCADE,
    mentor_id text REFERENCES players (id) ON DELETE SET NULL,
    name text NOT NULL,
    score int
);

-- The tenant column in the middle: SELECT * and INSERT without a column list must skip it.
CREATE TABLE cards (
    id text PRIMARY KEY,
    player_id text REFERENCES players (id) ON DELETE SET NULL,
    tenant_id text NOT NULL,
    rarity text NOT NULL REFERENCES rarities (code),
    price numeric(8, 2)
);

-- The tenant column last.
CREATE TABLE trades (
    id text PRIMARY KEY,
    card_id text NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    qty int NOT NULL CHECK (qty > 0),
    note text,
    tenant_id text NOT NULL
);
