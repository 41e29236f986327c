package io.tenantry.examples.cardvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.util.function.Supplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/** The demo's own MongoDB servers start only when no MongoDB is configured, and stop with the application. */
class EmbeddedMongoServersTest {

    private final EmbeddedMongoServers postProcessor = new EmbeddedMongoServers(Supplier::get);

    @Test
    void withoutAUriTwoInMemoryServersStartAndStopWithTheApplicationContext() throws IOException {
        MockEnvironment environment = new MockEnvironment();
        SpringApplication application = new SpringApplication();
        postProcessor.postProcessEnvironment(environment, application);

        String main = environment.getProperty(EmbeddedMongoServers.URI);
        String dedicated = environment.getProperty(EmbeddedMongoServers.DEDICATED_URI);
        assertThat(main).startsWith("mongodb://127.0.0.1:").isNotEqualTo(dedicated);
        assertThat(ping(main)).isTrue();
        assertThat(ping(dedicated)).isTrue();

        GenericApplicationContext context = new GenericApplicationContext();
        application.getInitializers().forEach(initializer -> initialize(initializer, context));
        context.refresh();
        context.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", URI.create(main).getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aConfiguredUriStartsNothingAndASecondClusterIsOptional() {
        MockEnvironment environment = new MockEnvironment().withProperty(EmbeddedMongoServers.URI, "mongodb://db:27017");
        SpringApplication application = new SpringApplication();
        int initializers = application.getInitializers().size();

        postProcessor.postProcessEnvironment(environment, application);

        assertThat(environment.getPropertySources().contains("cardvault-embedded-mongodb")).isFalse();
        assertThat(environment.getProperty(EmbeddedMongoServers.DEDICATED_URI)).isNull();
        assertThat(application.getInitializers()).hasSize(initializers);
    }

    private static boolean ping(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            return client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue() == 1;
        }
    }

    @SuppressWarnings("unchecked")
    private static void initialize(ApplicationContextInitializer<?> initializer, GenericApplicationContext context) {
        ((ApplicationContextInitializer<ConfigurableApplicationContext>) initializer).initialize(context);
    }
}
