-- The shared tables of starter and professional tenants (the FIELD model), in database "cardvault".
-- Every table has a tenant_id column; Tenantry's provisioning then makes each key and foreign key lead
-- with it, makes it NOT NULL with the current tenant as default, and enables row-level security.
-- Keys are uuids: a serial would tell one tenant how many rows the others insert.
-- The same tables without tenant_id, for a schema or database per tenant, are in db/tenant.
CREATE TABLE manufacturers (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id text NOT NULL,
    name      text NOT NULL,
    CONSTRAINT manufacturers_name_key UNIQUE (name)
);

CREATE TABLE teams (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id text NOT NULL,
    name      text NOT NULL,
    league    text,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE players (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id text NOT NULL,
    name      text NOT NULL,
    team_id   uuid REFERENCES teams (id)
);

CREATE TABLE cards (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       text NOT NULL,
    title           text NOT NULL,
    year            integer,
    condition       text,
    player_id       uuid REFERENCES players (id),
    manufacturer_id uuid REFERENCES manufacturers (id)
);

CREATE TABLE users (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    text NOT NULL,
    email        text NOT NULL,
    display_name text,
    CONSTRAINT users_email_key UNIQUE (email)
);
