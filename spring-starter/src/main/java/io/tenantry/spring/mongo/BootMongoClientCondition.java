package io.tenantry.spring.mongo;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Boot's own MongoDB clients ({@code MongoAutoConfiguration} and
 * {@code MongoReactiveAutoConfiguration}) out of an application whose clusters come from
 * {@code tenantry.mongodb.clusters}. Boot's client would otherwise be an extra connection pool, to
 * localhost unless {@code spring.mongodb.*} says otherwise, and Boot's health indicator for it would
 * report the application DOWN although every cluster Tenantry uses is up.
 *
 * <p>Boot's client stays when the application asks for one: when {@code spring.mongodb.uri} or
 * {@code spring.mongodb.host} is set (a client for non-tenant data), when Tenantry's MongoDB wiring is
 * off ({@code tenantry.mongodb.enabled=false}) or absent (no {@code tenantry-mongo}), and when no
 * cluster is configured (Boot's client is then Tenantry's cluster "main"). A {@code MongoClient} bean
 * the application defines itself is never touched, and Boot's health indicator reports it.
 *
 * <p>Why an {@link AutoConfigurationImportFilter}, the hook of Boot's own {@code OnClassCondition},
 * rather than a bean: Boot's client backs off only when a {@code MongoClient} bean exists (non-default
 * candidates do not count). A client bean of Tenantry's would put an unconfined handle on every
 * tenant's data within reach of any {@code @Autowired MongoClient}, and with several clusters it
 * would have to pick one arbitrarily. Removing Boot's bean definition after the fact would come too
 * late for Boot's health indicator, whose condition has already seen it. Filtering the two
 * auto-configurations out is what {@code spring.autoconfigure.exclude} would do. The filter does it
 * before any of Boot's MongoDB classes is read, and records why in the condition evaluation report
 * (shown by {@code --debug}); {@link BootMongoClientFailureAnalyzer} explains it when the application
 * injects a {@code MongoClient} that is therefore missing. Filters apply wherever auto-configuration
 * is imported ({@code @SpringBootApplication}, test slices), not in an {@code ApplicationContextRunner}
 * that names its configurations itself.
 *
 * <p>As a {@link Condition}, it matches where Boot's client may be created.
 */
final class BootMongoClientCondition implements AutoConfigurationImportFilter, Condition, EnvironmentAware,
        BeanFactoryAware, BeanClassLoaderAware {

    private static final Logger LOG = LoggerFactory.getLogger(BootMongoClientCondition.class);

    /** Spring Boot's auto-configurations that create a MongoClient of their own. */
    static final Set<String> BOOT_CLIENTS = Set.of(
            "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
            "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration");

    /** What to do instead of injecting Boot's client. */
    static final String ACTION = "Use TenantMongo, or MongoTemplate and repositories, for tenant data; for a client"
            + " of your own (data of no tenant), define a MongoClient bean or set spring.mongodb.uri.";

    private static final String TENANT_MONGO = "io.tenantry.mongo.TenantMongo";

    private @Nullable Environment environment;
    private @Nullable BeanFactory beanFactory;
    private @Nullable ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public boolean[] match(@Nullable String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        Arrays.fill(matches, true);
        if (environment == null
                || Arrays.stream(autoConfigurationClasses).noneMatch(BootMongoClientCondition::isBootClient)) {
            return matches;
        }
        String reason = backOffReason(environment, classLoader);
        if (reason == null) {
            return matches;
        }
        ConditionEvaluationReport report = beanFactory instanceof ConfigurableListableBeanFactory listable
                ? ConditionEvaluationReport.get(listable) : null;
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String candidate = autoConfigurationClasses[i];
            if (isBootClient(candidate)) {
                matches[i] = false;
                if (report != null) {
                    report.recordConditionEvaluation(candidate, this, ConditionOutcome.noMatch(reason + " " + ACTION));
                }
                LOG.debug("{} skipped: {}", candidate, reason);
            }
        }
        return matches;
    }

    /** Entries an earlier filter removed are null; {@code Set.of} refuses to look null up. */
    private static boolean isBootClient(@Nullable String candidate) {
        return candidate != null && BOOT_CLIENTS.contains(candidate);
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return backOffReason(context.getEnvironment(), context.getClassLoader()) == null;
    }

    /**
     * Returns why Spring Boot's own MongoDB client must not be created in {@code environment}, or
     * {@code null} when it may be.
     */
    static @Nullable String backOffReason(Environment environment, @Nullable ClassLoader classLoader) {
        if (!ClassUtils.isPresent(TENANT_MONGO, classLoader)) {
            return null;
        }
        // Without a placeholder resolver: only the cluster names matter here, and a URI that is not
        // resolvable yet must not fail the import of auto-configurations.
        Binder binder = new Binder(ConfigurationPropertySources.get(environment));
        if (!binder.bind("tenantry.mongodb.enabled", Boolean.class).orElse(true)) {
            return null;
        }
        Map<String, Object> clusters = binder.bind("tenantry.mongodb.clusters",
                Bindable.mapOf(String.class, Object.class)).orElse(Map.of());
        if (clusters.isEmpty()) {
            return null;
        }
        if (binder.bind("spring.mongodb.uri", String.class).isBound()
                || binder.bind("spring.mongodb.host", String.class).isBound()) {
            return null;
        }
        return "Tenantry's MongoDB clusters come from tenantry.mongodb.clusters " + clusters.keySet()
                + " and neither spring.mongodb.uri nor spring.mongodb.host is set, so Spring Boot's own MongoClient"
                + " would only be an unused connection pool (to localhost by default).";
    }
}
