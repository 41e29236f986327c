-- A tenant table numbered from a sequence every tenant shares: provisioning refuses it.
CREATE TABLE tickets (
    tenant_id text,
    id serial PRIMARY KEY,
    title text
);
