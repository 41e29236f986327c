package io.tenantry.spring.test;

import com.mongodb.ConnectionString;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the servers of {@link EmbeddedTenantryMongo} while the context is prepared (its environment
 * loaded, no bean created yet) and points the MongoDB properties at them. Equal for equal extra
 * cluster names, so that Spring's context cache shares one context, and one set of servers, among
 * test classes configured alike.
 */
final class EmbeddedMongoContextCustomizer implements ContextCustomizer {

    static final String CLUSTERS = "tenantry.mongodb.clusters";
    static final String BOOT_URI = "spring.mongodb.uri";
    static final String BOOT_HOST = "spring.mongodb.host";
    static final String MAIN = "main";
    static final String PROPERTY_SOURCE = "tenantryEmbeddedMongo";

    private static final Log LOG = LogFactory.getLog(EmbeddedTenantryMongo.class);
    /** Names that bind as they are written; others go in brackets, which keep them whole. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Set<String> extraClusters;

    EmbeddedMongoContextCustomizer(List<String> extraClusters) {
        for (String name : extraClusters) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("@EmbeddedTenantryMongo(clusters = ...) names a blank cluster:"
                        + " give the names that tenantry.mongodb.clusters and the routing rules use, such as \"main\".");
            }
        }
        this.extraClusters = new LinkedHashSet<>(extraClusters);
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
        ConfigurableEnvironment environment = context.getEnvironment();
        Set<String> clusters = new LinkedHashSet<>(configuredClusters(environment));
        clusters.addAll(extraClusters);
        EmbeddedMongoServers servers = new EmbeddedMongoServers();
        stopWith(context, servers);
        Map<String, Object> properties = new LinkedHashMap<>();
        try {
            for (String cluster : clusters) {
                properties.put(clusterProperty(cluster), servers.start(cluster));
            }
            if (clusters.isEmpty()) {
                // No cluster configured: the starter takes Boot's client as its cluster "main".
                servers.start(MAIN);
                properties.put(BOOT_URI, servers.uri(MAIN) + "/" + database(environment));
            } else if (isSet(environment, BOOT_URI) || isSet(environment, BOOT_HOST)) {
                // Boot's client, for data of no tenant: kept, and kept off the real MongoDB.
                String server = clusters.contains(MAIN) ? MAIN : clusters.iterator().next();
                properties.put(BOOT_URI, servers.uri(server) + "/" + database(environment));
            }
        } catch (RuntimeException e) {
            servers.destroy();
            throw e;
        }
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
        LOG.info("Started in-process MongoDB servers: " + properties);
    }

    /**
     * The cluster names as the starter will bind them, read without resolving the values: a value such
     * as {@code ${MONGODB_URI}} with no such variable in the test is replaced anyway.
     */
    private static Set<String> configuredClusters(ConfigurableEnvironment environment) {
        Binder raw = new Binder(ConfigurationPropertySources.get(environment));
        return raw.bind(CLUSTERS, Bindable.mapOf(String.class, Object.class))
                .map(Map::keySet).<Set<String>>map(LinkedHashSet::new).orElseGet(LinkedHashSet::new);
    }

    private static boolean isSet(ConfigurableEnvironment environment, String property) {
        return new Binder(ConfigurationPropertySources.get(environment)).bind(property, Object.class).isBound();
    }

    static String clusterProperty(String cluster) {
        return PLAIN_NAME.matcher(cluster).matches() ? CLUSTERS + "." + cluster : CLUSTERS + "[" + cluster + "]";
    }

    /** The database the configured {@code spring.mongodb.uri} names, so that Boot's defaults stay as they were. */
    private static String database(ConfigurableEnvironment environment) {
        String uri = new Binder(ConfigurationPropertySources.get(environment)).bind(BOOT_URI, String.class).orElse(null);
        if (uri == null) {
            return "";
        }
        try {
            @Nullable String database = new ConnectionString(uri).getDatabase();
            return database == null ? "" : database;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * Stops the servers after the context's beans are destroyed (the starter's clients among them), or
     * when its refresh fails: a disposable registered before any bean is destroyed last. Every context
     * Spring Boot's tests create has such a bean factory; for any other, the servers stop when the
     * context closes.
     */
    private static void stopWith(ConfigurableApplicationContext context, EmbeddedMongoServers servers) {
        if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean(EmbeddedMongoServers.class.getName(), servers);
        } else {
            context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> servers.destroy());
        }
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof EmbeddedMongoContextCustomizer that && extraClusters.equals(that.extraClusters);
    }

    @Override
    public int hashCode() {
        return extraClusters.hashCode();
    }

    @Override
    public String toString() {
        return "EmbeddedTenantryMongo" + extraClusters;
    }
}
