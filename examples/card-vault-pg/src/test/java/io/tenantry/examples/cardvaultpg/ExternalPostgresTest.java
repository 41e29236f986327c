package io.tenantry.examples.cardvaultpg;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code spring.datasource.url} and its credentials alone move the application to a PostgreSQL it did not
 * start (here another embedded server standing in for a real one, prepared as a database administrator
 * would: a login role with {@code CREATEDB} and {@code CREATEROLE} owning an empty control-plane database).
 * Tenantry creates the shared databases there, provisions the tenants there, and the application starts no server
 * of its own.
 */
@SpringBootTest(properties = {"spring.datasource.url=${test.external-postgres.url}",
        "spring.datasource.username=vault_app", "spring.datasource.password=vault-app-secret"})
class ExternalPostgresTest {

    private static final EmbeddedPostgres EXTERNAL = start();

    /**
     * Dynamic properties arrive after the environment is prepared, too late for the application to see that
     * a URL is set; the inlined property above is seen in time, and resolves to this one.
     */
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("test.external-postgres.url", () -> EXTERNAL.getJdbcUrl("postgres", "app_control")
                .replaceAll("\\?.*", ""));
    }

    @Autowired
    AbstractApplicationContext context;

    @Autowired
    CardRepository cards;

    @Test
    void theTenantsLiveOnTheConfiguredServerAndNoEmbeddedServerIsStarted() {
        assertThat(context.getApplicationListeners()).noneMatch(EmbeddedPostgresServer.Server.class::isInstance);
        JdbcClient server = JdbcClient.create(EXTERNAL.getPostgresDatabase());
        assertThat(server.sql("SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE"
                + " rolname = 'vault_app') ORDER BY datname").query(String.class).list())
                .containsExactly("app_control", "cardvault", "cardvault_enterprise", "vault_umbrella", "vault_wayne");
        assertThat(JdbcClient.create(database("app_control")).sql("SELECT count(*) FROM tenants").query(Integer.class)
                .single()).isEqualTo(6);
        assertThat(TenantContext.callAs(TenantId.of("umbrella"), cards::count)).isEqualTo(1);
    }

    private static DataSource database(String name) {
        return EXTERNAL.getDatabase("postgres", name);
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }, "external-postgres-stop"));
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE vault_app LOGIN CREATEDB CREATEROLE PASSWORD 'vault-app-secret'");
                statement.execute("CREATE DATABASE app_control OWNER vault_app");
            }
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
