-- The tables of one enterprise tenant, in its own schema (tenant_<id> in database cardvault_enterprise)
-- or its own database (vault_<id>): the tables of db/shared without the tenant_id column, which a
-- tenant of its own has no use for. Tenantry runs this once per tenant, as the tenant's role.
CREATE TABLE manufacturers (
    id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    CONSTRAINT manufacturers_name_key UNIQUE (name)
);

CREATE TABLE teams (
    id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name   text NOT NULL,
    league text,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE players (
    id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name    text NOT NULL,
    team_id uuid REFERENCES teams (id)
);

CREATE TABLE cards (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title           text NOT NULL,
    year            integer,
    condition       text,
    player_id       uuid REFERENCES players (id),
    manufacturer_id uuid REFERENCES manufacturers (id)
);

CREATE TABLE users (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email        text NOT NULL,
    display_name text,
    CONSTRAINT users_email_key UNIQUE (email)
);
