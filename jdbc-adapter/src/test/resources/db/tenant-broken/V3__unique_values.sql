-- Breaks for exactly the tenants whose items repeat a value, as a real migration breaks on one tenant's data.
ALTER TABLE items ADD CONSTRAINT items_v_unique UNIQUE (v);
