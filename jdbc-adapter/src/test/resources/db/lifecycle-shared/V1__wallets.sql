-- The shared tables of the lifecycle suites (FIELD model): the tenant tables of db/lifecycle-tenant with
-- the tenant column, in another column order, and no sequences (provisioning refuses them on shared
-- tables); plus a table of reference data that no tenant owns and no move may touch.
CREATE TABLE wallets (
    owner text NOT NULL,
    id uuid PRIMARY KEY,
    tenant_id text NOT NULL,
    tags text[],
    avatar bytea,
    balance numeric,
    owner_length integer GENERATED ALWAYS AS (length(owner)) STORED,
    opened timestamptz,
    profile jsonb,
    rate double precision
);

CREATE TABLE entries (
    labels text[],
    attrs jsonb,
    payload bytea,
    memo text,
    booked timestamptz NOT NULL,
    amount numeric(30, 10),
    seq bigint NOT NULL,
    wallet_id uuid NOT NULL REFERENCES wallets (id),
    tenant_id text NOT NULL,
    id uuid PRIMARY KEY
);

CREATE TABLE currencies (
    code text PRIMARY KEY,
    name text NOT NULL
);

INSERT INTO currencies (code, name) VALUES ('EUR', 'euro'), ('CHF', 'Swiss franc');
