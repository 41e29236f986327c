package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tenantry.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The walls provisioning builds in PostgreSQL itself, checked there without Tenantry's connections or
 * its SQL guard in the way: a tenant role cannot create temporary tables; the store's login role holds
 * none of a tenant's rights until it switches to the tenant's role; nobody but the login role may
 * connect to a tenant database.
 */
class ProvisioningHardeningTest {

    private static final TenantId ACME = TenantId.of("acme");

    @Test
    void tenant_roles_cannot_create_temporary_tables_and_the_login_role_inherits_no_tenant_rights() throws Exception {
        try (JdbcFixture f = JdbcFixture.schemas("harden", List.of(ACME), b -> { })) {
            JdbcTarget acme = f.targetOf(ACME);
            try (Connection c = f.adminConnection(ACME); Statement s = c.createStatement()) {
                SQLException temp = catchThrowableOfType(SQLException.class,
                        () -> s.execute("CREATE TEMP TABLE shadow (k text)"));
                assertThat((Throwable) temp).as("a temporary table made as the tenant's role").isNotNull();
                assertThat(temp.getSQLState()).isEqualTo("42501");
            }
            try (Connection c = JdbcProvisioning.unpooled(f.server.appStore(), f.sharedDatabase).getConnection();
                    Statement s = c.createStatement()) {
                SQLException read = catchThrowableOfType(SQLException.class,
                        () -> s.executeQuery("SELECT * FROM " + JdbcNames.quote(acme.schema()) + ".items"));
                assertThat((Throwable) read).as("the login role reading a tenant's table without switching").isNotNull();
                assertThat(read.getSQLState()).isEqualTo("42501");
                s.execute("SET ROLE " + JdbcNames.quote(acme.role()));
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + JdbcNames.quote(acme.schema()) + ".items")) {
                    assertThat(r.next()).as("the same read once switched to the tenant's role").isTrue();
                }
            }
        }
    }

    @Test
    void only_the_login_role_may_connect_to_a_tenant_database() throws Exception {
        try (JdbcFixture f = JdbcFixture.databases("harden", List.of(ACME), b -> { })) {
            String database = f.jdbc.databaseName(ACME);
            try (Connection c = f.server.admin("postgres").getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT has_database_privilege('public', '" + database + "', 'CONNECT'),"
                            + " has_database_privilege('public', '" + database + "', 'TEMPORARY'),"
                            + " has_database_privilege('" + PostgresServer.APP_USER + "', '" + database + "', 'CONNECT')")) {
                r.next();
                assertThat(r.getBoolean(1)).as("PUBLIC may connect").isFalse();
                assertThat(r.getBoolean(2)).as("PUBLIC may create temporary tables").isFalse();
                assertThat(r.getBoolean(3)).as("the login role may connect").isTrue();
            }
        }
    }
}
