package io.tenantry.spring.mongo;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.analyzer.AbstractInjectionFailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up that fails for want of a {@code MongoClient} bean when
 * {@link BootMongoClientCondition} kept Spring Boot's own client out: says why there is none and what to
 * inject instead. Ordered before Spring Boot's generic analysis of a missing bean, which would only
 * suggest defining one. Registered in {@code META-INF/spring.factories}; names the driver's types by
 * name, so it loads without the driver.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class BootMongoClientFailureAnalyzer extends AbstractInjectionFailureAnalyzer<NoSuchBeanDefinitionException> {

    private static final Set<String> CLIENT_TYPES = Set.of("com.mongodb.client.MongoClient",
            "com.mongodb.reactivestreams.client.MongoClient");

    private final Environment environment;

    BootMongoClientFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause,
            @Nullable String description) {
        Class<?> type = cause.getBeanType();
        if (type == null || !CLIENT_TYPES.contains(type.getName())) {
            return null;
        }
        String reason = BootMongoClientCondition.backOffReason(environment, getClass().getClassLoader());
        if (reason == null) {
            return null;
        }
        return new FailureAnalysis((description != null ? description : "A component") + " required a bean of type '"
                + type.getName() + "', and there is none: " + reason, BootMongoClientCondition.ACTION, cause);
    }
}
