CREATE INDEX items_v ON items (v);
