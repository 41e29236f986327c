-- The tables FieldAdversarialCatalogueTest needs beside items (V1, from db/field-test; this file is V2
-- because Flyway runs both locations as one history).

-- A second tenant table: its keys are tenant-scoped by provisioning, like items', and its foreign key
-- becomes (tenant_id, item_k) -> items (tenant_id, k), so a delete cascades to one tenant's notes only.
CREATE TABLE notes (
    tenant_id text NOT NULL,
    id text PRIMARY KEY,
    item_k text NOT NULL REFERENCES items (k) ON DELETE CASCADE,
    body text NOT NULL
);

-- Reference data every tenant shares: no tenant column, so tenants may read it and not write it.
CREATE TABLE countries (
    code text PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO countries VALUES ('fr', 'France'), ('jp', 'Japan');

-- A sequence in the shared schema: its numbers would tell each tenant how much the others take.
CREATE SEQUENCE ticket_numbers;
