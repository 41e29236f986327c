package io.tenantry.examples.cardvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.util.function.Supplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/** The demo's own MongoDB servers start only when no MongoDB is configured, and stop with the application. */
class EmbeddedMongoServersTest {

    private final EmbeddedMongoServers postProcessor = new EmbeddedMongoServers(Supplier::get);

    @Test
    void withoutAUriTwoInMemoryServersStartAndStopWithTheApplicationContext() {
        MockEnvironment environment = new MockEnvironment();
        SpringApplication application = new SpringApplication();
        postProcessor.postProcessEnvironment(environment, application);

        String main = environment.getProperty(EmbeddedMongoServers.URI);
        String dedicated = environment.getProperty(EmbeddedMongoServers.DEDICATED_URI);
        assertThat(main).startsWith("mongodb://127.0.0.1:").isNotEqualTo(dedicated);
        assertThat(ping(main)).isTrue();
        assertThat(ping(dedicated)).isTrue();

        GenericApplicationContext context = new GenericApplicationContext();
        application.getListeners().forEach(context::addApplicationListener);
        context.refresh();
        context.close();
        assertRefused(main);
        assertRefused(dedicated);
    }

    @Test
    void aFailedStartStopsThemTooSoThatTheyDoNotKeepTheJvmAlive() {
        MockEnvironment environment = new MockEnvironment();
        SpringApplication application = new SpringApplication();
        postProcessor.postProcessEnvironment(environment, application);
        String main = environment.getProperty(EmbeddedMongoServers.URI);

        ApplicationFailedEvent failure = new ApplicationFailedEvent(application, new String[0], null,
                new IllegalStateException("port 8080 is in use"));
        application.getListeners().forEach(listener -> deliver(listener, failure));
        assertRefused(main);
    }

    @Test
    void aConfiguredUriStartsNothingAndASecondClusterIsOptional() {
        MockEnvironment environment = new MockEnvironment().withProperty(EmbeddedMongoServers.URI, "mongodb://db:27017");
        SpringApplication application = new SpringApplication();

        postProcessor.postProcessEnvironment(environment, application);

        assertThat(environment.getPropertySources().contains("cardvault-embedded-mongodb")).isFalse();
        assertThat(environment.getProperty(EmbeddedMongoServers.DEDICATED_URI)).isNull();
        assertThat(application.getListeners()).noneMatch(EmbeddedMongoServers.Servers.class::isInstance);
    }

    private static boolean ping(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            return client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue() == 1;
        }
    }

    private static void assertRefused(String uri) {
        assertThatThrownBy(() -> new Socket("127.0.0.1", URI.create(uri).getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @SuppressWarnings("unchecked")
    private static void deliver(ApplicationListener<?> listener, ApplicationEvent event) {
        if (listener instanceof EmbeddedMongoServers.Servers) {
            ((ApplicationListener<ApplicationEvent>) listener).onApplicationEvent(event);
        }
    }
}
