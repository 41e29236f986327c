-- The field model's shared table for the repository tests. The key names id alone, as an application
-- writes it; provisioning makes it (tenant_id, id). A uuid key, never serial: the gaps between one
-- tenant's numbers would tell it how much the others insert.
CREATE TABLE cards (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id text NOT NULL,
    name text NOT NULL,
    value integer NOT NULL
);
CREATE INDEX cards_name ON cards (name);
