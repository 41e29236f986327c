package io.tenantry.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Runs a Spring test's application context on in-process MongoDB servers: one
 * <a href="https://github.com/bwaldvogel/mongo-java-server">mongo-java-server</a> (memory backend, a
 * loopback port chosen by the system) for every cluster of {@code tenantry.mongodb.clusters}, started
 * before the context is refreshed, so before the starter creates its {@code MongoClient}s.
 *
 * <pre>{@code
 * @SpringBootTest
 * @EmbeddedTenantryMongo
 * class CardServiceTest { ... }
 * }</pre>
 *
 * <p>What it does, once per application context:
 * <ul>
 *   <li>reads the cluster names from {@code tenantry.mongodb.clusters.*} as the context sees them
 *       ({@code application.yml}, profiles, {@code @SpringBootTest(properties = ...)}, environment
 *       variables), adds those named in {@link #clusters()}, and starts one server per name;
 *   <li>overrides {@code tenantry.mongodb.clusters.<name>} with that server's connection string,
 *       {@code mongodb://127.0.0.1:<port>}, ahead of every other property source: the configured hosts,
 *       credentials and options are not used, and no connection leaves the JVM;
 *   <li>when no cluster is configured at all, Spring Boot's own client is the starter's cluster
 *       {@code main}: it gets a server of its own ({@code spring.mongodb.uri}). When clusters are
 *       configured and so is Boot's client ({@code spring.mongodb.uri} or {@code spring.mongodb.host},
 *       a client for data of no tenant), it is pointed at the server of cluster {@code main}, else of
 *       the first cluster. Either way the database its URI named is kept;
 *   <li>stops the servers when the context closes (after its beans are destroyed), or when it fails to
 *       start.
 * </ul>
 *
 * <p>Spring's test context cache works as usual: test classes whose configuration is otherwise the same,
 * and that carry this annotation with the same {@link #clusters()}, share one context and so one set of
 * servers, whose data lives as long as the context. A test reads a server's address as it reads any
 * property: {@code @Value("${tenantry.mongodb.clusters.main}")}.
 *
 * <p>The servers speak MongoDB's wire protocol in memory, without sessions, transactions or change
 * streams and with part of the aggregation language: test those against a real MongoDB.
 *
 * <p>The annotation is inherited by subclasses and applies to {@code @Nested} test classes. It needs no
 * JUnit extension: it is read by the Spring TestContext Framework.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(EmbeddedMongoContextCustomizerFactory.class)
public @interface EmbeddedTenantryMongo {

    /**
     * Clusters to start a server for besides those {@code tenantry.mongodb.clusters} names, for a test
     * whose configuration names none or names them somewhere the test does not load. Each name becomes
     * a {@code tenantry.mongodb.clusters.<name>} property.
     *
     * @return the extra cluster names; none by default
     */
    String[] clusters() default {};
}
