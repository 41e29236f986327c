-- The table JdbcFixture expects, created here by Flyway so that the tenant's role owns it.
CREATE TABLE items (
    k text PRIMARY KEY,
    v text NOT NULL
);
