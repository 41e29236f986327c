package io.tenantry.spring.data.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ClientSessionOptions;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.EmbeddedMongo;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.data.mongo.app.Card;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoTransactionManager;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code @Transactional} on Tenantry's factory: a transaction belongs to the tenant bound when it
 * begins, and work for another tenant inside it is refused before it reaches the server.
 *
 * <p>The in-process server has no sessions, so no transaction commits here: these tests check what
 * happens before the server is asked (the refusals, the cluster a session is started on, the session
 * handed to the driver). That the server then runs the operations as one transaction is MongoDB's
 * part, with a replica set or sharded cluster.
 */
class TenantMongoTransactionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class, MongoAutoConfiguration.class,
                    TenantryMongoAutoConfiguration.class, TenantryDataMongoAutoConfiguration.class,
                    DataMongoAutoConfiguration.class))
            .withUserConfiguration(TransactionalApplication.class)
            .withPropertyValues("spring.mongodb.uri=" + EmbeddedMongo.main().uri() + "/app",
                    "tenantry.mongodb.clusters.main=" + EmbeddedMongo.main().uri(),
                    "tenantry.mongodb.clusters.dedicated=" + EmbeddedMongo.dedicated().uri(),
                    "tenantry.mongodb.tenant-field=tenantId",
                    "tenantry.routing.tiers.free.model=field", "tenantry.routing.tiers.free.database=tx_vault",
                    "tenantry.routing.tiers.enterprise.model=database", "tenantry.routing.tiers.enterprise.store=dedicated",
                    "tenantry.routing.tiers.enterprise.prefix=tx_",
                    "tenantry.directory.tenants[0].id=free1", "tenantry.directory.tenants[0].tier=free",
                    "tenantry.directory.tenants[1].id=free2", "tenantry.directory.tenants[1].tier=free",
                    "tenantry.directory.tenants[2].id=ent1", "tenantry.directory.tenants[2].tier=enterprise");

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({"free1, free2, same cluster and shared collection", "free1, ent1, another cluster",
        "ent1, free1, another cluster"})
    void aTransactionCannotSpanTwoTenants(String first, String second, String where) {
        runner.run(context -> {
            Cards cards = context.getBean(Cards.class);
            MongoTemplate template = context.getBean(MongoTemplate.class);
            long before = as(second, () -> template.count(new Query(), Card.class));

            assertThatThrownBy(() -> as(first, () -> cards.saveFor(second, new Card("moved " + where, "eve"))))
                    .isInstanceOf(IsolationViolationException.class)
                    .hasMessageContaining("session (and its transaction) of tenant \"" + first + "\" was used while tenant \""
                            + second + "\" is bound")
                    .hasMessageContaining("Start one transaction per tenant");

            assertThat(as(second, () -> template.count(new Query(), Card.class))).isEqualTo(before);
        });
    }

    @Test
    void aDatabaseOrCollectionHandedOutWithASessionIsRefusedAfterTheTenantChanges() {
        runner.run(context -> {
            MongoDatabaseFactory factory = context.getBean(MongoDatabaseFactory.class);
            try (ClientSession session = as("free1", () -> factory.getSession(ClientSessionOptions.builder().build()))) {
                MongoCollection<Document> kept = as("free1",
                        () -> factory.withSession(session).getMongoDatabase().getCollection("cards"));

                assertThatThrownBy(() -> as("free2", kept::countDocuments)).isInstanceOf(IsolationViolationException.class);
                assertThatThrownBy(() -> as("free2", () -> factory.withSession(session).getMongoDatabase()))
                        .isInstanceOf(IsolationViolationException.class);
                assertThatThrownBy(kept::countDocuments).isInstanceOf(NoTenantBoundException.class);
                // For its own tenant, the collection carries the session to the driver, which this server
                // (no sessions) refuses; a replica set would run the count in the session.
                assertThatThrownBy(() -> as("free1", kept::countDocuments))
                        .hasMessageContaining("ClientSession while connected to a server that doesn't support sessions");
            }
        });
    }

    @Test
    void aSessionStartedElsewhereBelongsToTheTenantThatFirstUsesIt() {
        runner.run(context -> {
            MongoDatabaseFactory factory = context.getBean(MongoDatabaseFactory.class);
            try (ClientSession session = context.getBean(TenantMongo.class).cluster("main").startSession()) {
                MongoDatabaseFactory bound = factory.withSession(session);
                as("free1", bound::getMongoDatabase);

                assertThatThrownBy(() -> as("free2", bound::getMongoDatabase)).isInstanceOf(IsolationViolationException.class);
            }
        });
    }

    @Test
    void aTransactionNeedsABoundTenantAndRunsItsSessionOnThatTenantsCluster() {
        runner.run(context -> {
            Cards cards = context.getBean(Cards.class);
            TenantMongo mongo = context.getBean(TenantMongo.class);
            MongoDatabaseFactory factory = context.getBean(MongoDatabaseFactory.class);

            assertThatThrownBy(() -> cards.save(new Card("nobody's", "eve"))).isInstanceOf(NoTenantBoundException.class);
            try (ClientSession enterprise = as("ent1", () -> factory.getSession(ClientSessionOptions.builder().build()));
                    ClientSession free = as("free1", () -> factory.getSession(ClientSessionOptions.builder().build()))) {
                assertThat(enterprise.getOriginator()).isSameAs(mongo.cluster("dedicated"));
                assertThat(free.getOriginator()).isSameAs(mongo.cluster("main"));
            }
            // Work for the transaction's own tenant goes to the driver with the transaction's session, which
            // this server (no sessions) then refuses; a replica set would run it in the transaction.
            assertThatThrownBy(() -> as("free1", () -> cards.save(new Card("mine", "ann"))))
                    .rootCause().hasMessageContaining("ClientSession while connected to a server that doesn't support sessions");
        });
    }

    private static <T> T as(String tenant, TenantContext.ThrowingSupplier<T, RuntimeException> work) {
        return TenantContext.callAs(TenantId.of(tenant), work);
    }

    /** What an application adds for {@code @Transactional}: a transaction manager on the factory. */
    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class TransactionalApplication {

        @Bean
        MongoTransactionManager transactionManager(MongoDatabaseFactory factory) {
            return new MongoTransactionManager(factory);
        }

        @Bean
        Cards cards(MongoTemplate template) {
            return new Cards(template);
        }
    }

    /** A service with transactional methods, as an application writes it. */
    public static class Cards {

        final MongoTemplate template;

        Cards(MongoTemplate template) {
            this.template = template;
        }

        @Transactional
        public Card save(Card card) {
            return template.insert(card);
        }

        /** Wrong on purpose: switches tenants inside one transaction. */
        @Transactional
        public Card saveFor(String otherTenant, Card card) {
            return TenantContext.callAs(TenantId.of(otherTenant), () -> template.insert(card));
        }
    }
}
