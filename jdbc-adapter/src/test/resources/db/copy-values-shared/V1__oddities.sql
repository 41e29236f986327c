-- The shared table of the copy-values suite (FIELD model): db/copy-values-tenant's table with the tenant
-- column, in another column order, and without the identity (provisioning refuses sequences on shared tables).
CREATE TABLE oddities (
    uid uuid,
    small real,
    tenant_id text NOT NULL,
    note text,
    id bigint PRIMARY KEY,
    span interval,
    blob bytea,
    at timestamptz,
    words text[],
    raw_json json,
    ratio double precision,
    grid integer[],
    day date,
    doc jsonb,
    amount numeric,
    flag boolean
);
