package io.tenantry.spring.task;

import io.tenantry.TenantDirectory;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import io.tenantry.spring.mongo.TenantryMongoAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;

/**
 * Background work: the {@link TenantTaskDecorator} that Spring Boot's task executors pick up (so
 * {@code @Async} methods run under the caller's tenant), and {@link TenantJobs} for per-tenant
 * scheduled jobs.
 */
@AutoConfiguration(after = {TenantryAutoConfiguration.class, TenantryMongoAutoConfiguration.class},
        beforeName = "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
@ConditionalOnClass(TaskDecorator.class)
@EnableConfigurationProperties(TenantryJobsProperties.class)
public final class TenantryTaskAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TenantTaskDecorator tenantTaskDecorator() {
        return new TenantTaskDecorator();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(TenantDirectory.class)
    TenantJobs tenantJobs(TenantDirectory directory, TenantryJobsProperties properties) {
        int parallelism = properties.getParallelism();
        if (parallelism < 1) {
            throw new InvalidTenantryConfigurationException("tenantry.jobs.parallelism", parallelism,
                    "a job must be able to run for at least one tenant at a time.", "Set it to 1 or more.");
        }
        return new TenantJobs(directory, parallelism);
    }
}
