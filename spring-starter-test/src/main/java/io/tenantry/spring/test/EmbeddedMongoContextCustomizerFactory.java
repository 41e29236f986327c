package io.tenantry.spring.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Turns {@link EmbeddedTenantryMongo} on a test class (or an enclosing or super class) into its context customizer. */
final class EmbeddedMongoContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedTenantryMongo annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                EmbeddedTenantryMongo.class);
        return annotation == null ? null : new EmbeddedMongoContextCustomizer(List.of(annotation.clusters()));
    }
}
