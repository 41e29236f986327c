package io.tenantry.examples.cardvaultpg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/**
 * The demo's own PostgreSQL starts only when no {@code spring.datasource.url} is set, gives the application a
 * login role without superuser rights, and stops with the application.
 */
class EmbeddedPostgresServerTest {

    private final EmbeddedPostgresServer postProcessor = new EmbeddedPostgresServer(Supplier::get);

    @Test
    void withoutAUrlAPostgresStartsWithAnOrdinaryLoginRoleAndStopsAfterTheContextsBeans() throws SQLException {
        MockEnvironment environment = new MockEnvironment();
        SpringApplication application = new SpringApplication();
        application.setInitializers(List.of()); // leaves only the ones the post-processor adds
        postProcessor.postProcessEnvironment(environment, application);

        String url = environment.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:postgresql://localhost:").endsWith("/cardvault_control");
        try (Connection connection = login(environment); Statement statement = connection.createStatement();
                ResultSet role = statement.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole, current_user,"
                        + " pg_get_userbyid(datdba) FROM pg_roles, pg_database"
                        + " WHERE rolname = current_user AND datname = current_database()")) {
            assertThat(role.next()).isTrue();
            assertThat(role.getBoolean(1)).as("superuser").isFalse();
            assertThat(role.getBoolean(2)).as("CREATEDB").isTrue();
            assertThat(role.getBoolean(3)).as("CREATEROLE").isTrue();
            assertThat(role.getString(5)).as("the control plane's owner").isEqualTo(role.getString(4));
        }

        GenericApplicationContext context = new GenericApplicationContext();
        initialize(application.getInitializers(), context);
        context.refresh();
        context.close();
        assertThatThrownBy(() -> login(environment).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aFailedStartStopsItSoThatItDoesNotOutliveTheApplication() {
        MockEnvironment environment = new MockEnvironment();
        SpringApplication application = new SpringApplication();
        postProcessor.postProcessEnvironment(environment, application);

        ApplicationFailedEvent failure = new ApplicationFailedEvent(application, new String[0], null,
                new IllegalStateException("port 8080 is in use"));
        application.getListeners().forEach(listener -> deliver(listener, failure));
        assertThatThrownBy(() -> login(environment).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aConfiguredUrlStartsNothing() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/cardvault_control");
        SpringApplication application = new SpringApplication();
        application.setInitializers(List.of());

        postProcessor.postProcessEnvironment(environment, application);

        assertThat(environment.getPropertySources().contains(EmbeddedPostgresServer.PROPERTY_SOURCE)).isFalse();
        assertThat(environment.getProperty("spring.datasource.username")).isNull();
        assertThat(application.getListeners()).noneMatch(EmbeddedPostgresServer.Server.class::isInstance);
        assertThat(application.getInitializers()).isEmpty();
    }

    private static Connection login(MockEnvironment environment) throws SQLException {
        return DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"), environment.getProperty("spring.datasource.password"));
    }

    @SuppressWarnings("unchecked")
    private static void initialize(Set<ApplicationContextInitializer<?>> initializers, GenericApplicationContext context) {
        initializers.forEach(
                initializer -> ((ApplicationContextInitializer<ConfigurableApplicationContext>) initializer).initialize(context));
    }

    @SuppressWarnings("unchecked")
    private static void deliver(ApplicationListener<?> listener, ApplicationEvent event) {
        if (listener instanceof EmbeddedPostgresServer.Server) {
            ((ApplicationListener<ApplicationEvent>) listener).onApplicationEvent(event);
        }
    }
}
