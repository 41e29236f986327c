-- The control plane: one row per tenant. The columns up to "version" are the table of Tenantry's
-- JdbcTenantDirectory (io/tenantry/jdbc/tenants-table.sql in tenantry-jdbc), which reads and writes them;
-- tenantry.directory.jdbc.create-table=false leaves the creation to this migration.
--
-- The last three are the design notes' own columns. Each is computed from a directory column, so the
-- directory stays the one writer and they can never disagree with what Tenantry routes by:
--   slug               the tenant id itself: it is what a subdomain (acme.localhost), a path (/t/acme),
--                      the X-Tenant-Id header and the token's tenant_id claim carry
--   subscription_tier  the tier, which the routing rules of application.yml place tenants by
--   max_users          the quota of the users table, kept in the directory's attributes as "max-users"
CREATE TABLE tenants (
    id                  text COLLATE "C" PRIMARY KEY
                        CONSTRAINT tenant_id_form CHECK (id ~ '^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$'),
    name                text        NOT NULL,
    status              text        NOT NULL,
    tier                text        NOT NULL,
    placement_model     text        NULL,
    placement_store     text        NULL,
    placement_namespace text        NULL,
    region              text        NULL,
    attributes          jsonb       NOT NULL DEFAULT '{}'
                        CONSTRAINT tenant_attributes_form CHECK (jsonb_typeof(attributes) = 'object'),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL,
    CONSTRAINT tenant_placement_all_or_none CHECK (
        (placement_model IS NULL) = (placement_store IS NULL)
        AND (placement_store IS NULL) = (placement_namespace IS NULL)),

    slug                text        GENERATED ALWAYS AS (id) STORED,
    subscription_tier   text        GENERATED ALWAYS AS (tier) STORED,
    max_users           integer     GENERATED ALWAYS AS ((attributes ->> 'max-users')::integer) STORED
                        CONSTRAINT tenant_max_users_positive CHECK (max_users > 0)
);
