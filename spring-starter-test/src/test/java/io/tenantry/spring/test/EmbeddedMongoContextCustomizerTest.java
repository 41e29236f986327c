package io.tenantry.spring.test;

import static io.tenantry.spring.test.EmbeddedTenantryMongoContextCacheTest.assertRefused;
import static io.tenantry.spring.test.EmbeddedTenantryMongoContextCacheTest.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/** What the annotation does to a context's MongoDB settings, and when its servers stop. */
class EmbeddedMongoContextCustomizerTest {

    @Test
    void withNoClusterConfiguredSpringBootsClientGetsAServerAndKeepsOnlyTheDatabaseOfItsUri() {
        GenericApplicationContext context = context(new MockEnvironment()
                .withProperty("spring.mongodb.uri", "mongodb://ann:secret@db.example:27017/shop?tls=true&replicaSet=rs0"));

        new EmbeddedMongoContextCustomizer(List.of()).customizeContext(context, null);

        String uri = context.getEnvironment().getProperty("spring.mongodb.uri");
        assertThat(uri).matches("mongodb://127\\.0\\.0\\.1:\\d+/shop");
        assertThat(clusters(context)).as("the starter keeps taking Boot's client as its cluster main").isEmpty();
        assertThat(ping(uri)).isTrue();
        context.refresh();
        context.close();
        assertRefused(uri);
    }

    @Test
    void everyConfiguredClusterAndEveryNamedOneGetsItsOwnServerWhateverItsNameOrValue() {
        GenericApplicationContext context = context(new MockEnvironment()
                .withProperty("tenantry.mongodb.clusters.main", "mongodb://db.example:27017")
                .withProperty("tenantry.mongodb.clusters[eu.west]", "${MONGODB_EU_WEST_URI}")
                .withProperty("spring.mongodb.host", "db.example"));

        new EmbeddedMongoContextCustomizer(List.of("Archive")).customizeContext(context, null);

        Map<String, String> clusters = clusters(context);
        assertThat(clusters).containsOnlyKeys("main", "eu.west", "Archive");
        assertThat(clusters.values()).allMatch(uri -> uri.matches("mongodb://127\\.0\\.0\\.1:\\d+")).doesNotHaveDuplicates()
                .allMatch(EmbeddedTenantryMongoContextCacheTest::ping);
        assertThat(context.getEnvironment().getProperty("spring.mongodb.uri")).isEqualTo(clusters.get("main") + "/");
        context.refresh();
        context.close();
        clusters.values().forEach(EmbeddedTenantryMongoContextCacheTest::assertRefused);
    }

    @Test
    void springBootsClientIsLeftAloneWhenTheClustersAreConfiguredAndItIsNot() {
        GenericApplicationContext context = context(new MockEnvironment()
                .withProperty("tenantry.mongodb.clusters.main", "mongodb://db.example:27017"));

        new EmbeddedMongoContextCustomizer(List.of()).customizeContext(context, null);

        assertThat(clusters(context)).containsOnlyKeys("main");
        assertThat(context.getEnvironment().containsProperty("spring.mongodb.uri")).isFalse();
        context.refresh();
        context.close();
    }

    @Test
    void theServersOutliveTheBeansSoThatABeanStillReachesThemWhileItIsDestroyed() {
        GenericApplicationContext context = context(new MockEnvironment());
        new EmbeddedMongoContextCustomizer(List.of("main")).customizeContext(context, null);
        String main = clusters(context).get("main");
        AtomicBoolean reachedOnDestroy = new AtomicBoolean();
        context.registerBean("lastWords", DisposableBean.class, () -> () -> reachedOnDestroy.set(ping(main)));

        context.refresh();
        context.close();

        assertThat(reachedOnDestroy).isTrue();
        assertRefused(main);
    }

    @Test
    void aContextThatFailsToStartStopsItsServersToo() {
        GenericApplicationContext context = context(new MockEnvironment());
        context.registerBean("broken", String.class, () -> {
            throw new IllegalStateException("a bean that cannot be created");
        });
        new EmbeddedMongoContextCustomizer(List.of("main")).customizeContext(context, null);
        String main = clusters(context).get("main");

        assertThatThrownBy(context::refresh).hasRootCauseMessage("a bean that cannot be created");
        assertRefused(main);
    }

    @Test
    void customizersAreEqualForTheSameClusterNamesSoThatTheContextCacheSharesTheirContext() {
        assertThat(new EmbeddedMongoContextCustomizer(List.of("a", "b")))
                .isEqualTo(new EmbeddedMongoContextCustomizer(List.of("b", "a")))
                .hasSameHashCodeAs(new EmbeddedMongoContextCustomizer(List.of("b", "a")))
                .isNotEqualTo(new EmbeddedMongoContextCustomizer(List.of("a")));
        assertThat(new EmbeddedMongoContextCustomizerFactory().createContextCustomizer(Unannotated.class, List.of()))
                .isNull();
        assertThat(new EmbeddedMongoContextCustomizerFactory().createContextCustomizer(Annotated.class, List.of()))
                .isEqualTo(new EmbeddedMongoContextCustomizer(List.of("archive")));
    }

    @Test
    void aBlankClusterNameIsRefusedWithTheFix() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EmbeddedMongoContextCustomizer(List.of(" ")))
                .withMessageContaining("names a blank cluster").withMessageContaining("such as \"main\"");
    }

    static class Unannotated {
    }

    @EmbeddedTenantryMongo(clusters = "archive")
    static class Annotated {
    }

    private static GenericApplicationContext context(MockEnvironment environment) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(environment);
        return context;
    }

    private static Map<String, String> clusters(GenericApplicationContext context) {
        return Binder.get(context.getEnvironment())
                .bind("tenantry.mongodb.clusters", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    }
}
