package io.tenantry.spring.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

class TenantryTaskAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryAutoConfiguration.class,
                    TenantryTaskAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("tenantry.directory.tenants[0].id=acme", "tenantry.directory.tenants[1].id=bravo",
                    "tenantry.directory.tenants[2].id=frozen", "tenantry.directory.tenants[2].status=suspended");

    @Test
    void bootsApplicationTaskExecutorRunsTasksUnderTheSubmittersTenantAndNoneAfterwards() {
        runner.withPropertyValues("spring.task.execution.pool.core-size=1").run(context -> {
            ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class);
            String during = TenantContext.callAs(TenantId.of("acme"),
                    () -> executor.submit(() -> TenantContext.current().value()).get());
            String after = executor.submit(() -> TenantContext.find().map(TenantId::value).orElse("none")).get();
            assertThat(during).isEqualTo("acme");
            assertThat(after).isEqualTo("none");
        });
    }

    @Test
    void composesWithTheApplicationsOtherDecoratorsAndBacksOffForItsOwnTenantDecorator() {
        TaskDecorator other = runnable -> runnable;
        runner.withBean("otherDecorator", TaskDecorator.class, () -> other).run(context ->
                assertThat(context.getBeansOfType(TaskDecorator.class)).hasSize(2));
        TenantTaskDecorator own = new TenantTaskDecorator();
        runner.withBean(TenantTaskDecorator.class, () -> own).run(context ->
                assertThat(context.getBean(TenantTaskDecorator.class)).isSameAs(own));
    }

    @Test
    void tenantJobsRunOncePerActiveTenantEachUnderItsOwnTenantAndReportFailures() {
        runner.withPropertyValues("tenantry.jobs.parallelism=2").run(context -> {
            Map<String, String> seen = new ConcurrentHashMap<>();
            Map<TenantId, Exception> failures = context.getBean(TenantJobs.class).forEachTenant("report",
                    (Tenant tenant) -> {
                        seen.put(tenant.id().value(), TenantContext.current().value());
                        if (tenant.id().value().equals("bravo")) {
                            throw new IllegalStateException("bravo's report failed");
                        }
                    });
            assertThat(seen).isEqualTo(Map.of("acme", "acme", "bravo", "bravo"));
            assertThat(failures).containsOnlyKeys(TenantId.of("bravo"));
            assertThat(TenantContext.find()).isEmpty();
        });
    }

    @Test
    void parallelismBelowOneIsAConfigurationError() {
        runner.withPropertyValues("tenantry.jobs.parallelism=0").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("tenantry.jobs.parallelism"));
    }

    @Test
    void tenantJobsNeedACatalogue() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TenantryTaskAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(TenantTaskDecorator.class).doesNotHaveBean(TenantJobs.class);
                    assertThat(List.of(context.getBeanNamesForType(TaskDecorator.class)))
                            .isEqualTo(List.copyOf(Set.of("tenantTaskDecorator")));
                });
    }
}
