-- A migration that names another tenant's schema: the tenant role it runs as has no right there.
CREATE TABLE stolen AS SELECT * FROM tenant_victim.items;
