-- The shared table JdbcFixture expects on the FIELD model. The primary key names k alone, as an
-- application would write it; provisioning makes it (tenant_id, k).
CREATE TABLE items (
    tenant_id text NOT NULL,
    k text PRIMARY KEY,
    v text NOT NULL
);
CREATE INDEX items_v ON items (v);
