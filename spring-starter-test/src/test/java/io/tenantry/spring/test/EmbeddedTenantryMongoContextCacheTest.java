package io.tenantry.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tenantry.spring.test.app.NotesApplication;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

/**
 * The servers live as long as the application context, and Spring's context cache decides that: test
 * classes configured alike share one context and one set of servers; closing the context stops them.
 * The test classes below are loaded through the TestContext Framework as JUnit would load them.
 */
class EmbeddedTenantryMongoContextCacheTest {

    @SpringBootTest(classes = NotesApplication.class, properties = "test.case=cache")
    @EmbeddedTenantryMongo
    static class First {
    }

    @SpringBootTest(classes = NotesApplication.class, properties = "test.case=cache")
    @EmbeddedTenantryMongo
    static class Second {
    }

    @SpringBootTest(classes = NotesApplication.class, properties = "test.case=cache")
    @EmbeddedTenantryMongo(clusters = "archive")
    static class WithAnArchiveCluster {
    }

    @Test
    void testClassesConfiguredAlikeShareTheContextAndItsServersWhichStopWhenTheContextCloses() {
        TestContext first = new TestContextManager(First.class).getTestContext();
        TestContext second = new TestContextManager(Second.class).getTestContext();

        ApplicationContext context = first.getApplicationContext();
        assertThat(second.getApplicationContext()).isSameAs(context);
        String main = cluster(context.getEnvironment(), "main");
        String dedicated = cluster(context.getEnvironment(), "dedicated");
        assertThat(ping(main)).isTrue();
        assertThat(ping(dedicated)).isTrue();

        first.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);

        assertRefused(main);
        assertRefused(dedicated);
    }

    @Test
    void anotherClusterListIsAnotherContextWithServersOfItsOwn() {
        TestContext plain = new TestContextManager(First.class).getTestContext();
        TestContext withArchive = new TestContextManager(WithAnArchiveCluster.class).getTestContext();
        try {
            Environment environment = withArchive.getApplicationContext().getEnvironment();
            assertThat(withArchive.getApplicationContext()).isNotSameAs(plain.getApplicationContext());
            assertThat(ping(cluster(environment, "archive"))).isTrue();
            assertThat(cluster(environment, "main")).isNotEqualTo(cluster(plain.getApplicationContext().getEnvironment(), "main"));
        } finally {
            plain.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
            withArchive.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
        }
    }

    private static String cluster(Environment environment, String name) {
        return environment.getRequiredProperty("tenantry.mongodb.clusters." + name);
    }

    static boolean ping(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            return client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue() == 1;
        }
    }

    static void assertRefused(String uri) {
        assertThatThrownBy(() -> new Socket("127.0.0.1", URI.create(uri).getPort()).close())
                .as("a connection to %s", uri).isInstanceOf(ConnectException.class);
    }
}
