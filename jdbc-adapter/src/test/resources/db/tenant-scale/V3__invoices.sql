CREATE TABLE invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    number text NOT NULL,
    due_on date NOT NULL,
    paid boolean NOT NULL DEFAULT false
);
CREATE INDEX invoices_unpaid_due ON invoices (due_on) WHERE NOT paid;
