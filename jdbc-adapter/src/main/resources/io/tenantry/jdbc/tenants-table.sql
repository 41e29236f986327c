-- The table of io.tenantry.jdbc.JdbcTenantDirectory (PostgreSQL), for applications that migrate their
-- control-plane database with Flyway or Liquibase themselves: copy this file into a migration, renaming
-- the table if the directory is given another one. JdbcTenantDirectory.createTableIfMissing() runs this
-- same statement. One row per tenant; the directory sets every column and bumps version on each update.
CREATE TABLE IF NOT EXISTS tenants (
    -- TenantId's alphabet, compared byte by byte so that list() orders ids as Java does
    id                  text COLLATE "C" PRIMARY KEY
                        CONSTRAINT tenant_id_form CHECK (id ~ '^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$'),
    name                text        NOT NULL,
    -- a TenantStatus name: ACTIVE, SUSPENDED, READ_ONLY or DELETED
    status              text        NOT NULL,
    tier                text        NOT NULL,
    -- the pinned Placement, if any: an IsolationModel name (FIELD, COLLECTION, DATABASE), the store's
    -- name, and the shared database (FIELD, COLLECTION) or the database-name prefix (DATABASE)
    placement_model     text        NULL,
    placement_store     text        NULL,
    placement_namespace text        NULL,
    region              text        NULL,
    -- string keys to string values
    attributes          jsonb       NOT NULL DEFAULT '{}'
                        CONSTRAINT tenant_attributes_form CHECK (jsonb_typeof(attributes) = 'object'),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL,
    CONSTRAINT tenant_placement_all_or_none CHECK (
        (placement_model IS NULL) = (placement_store IS NULL)
        AND (placement_store IS NULL) = (placement_namespace IS NULL))
);
