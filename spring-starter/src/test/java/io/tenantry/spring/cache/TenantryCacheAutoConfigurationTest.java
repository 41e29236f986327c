package io.tenantry.spring.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code @Cacheable} and friends, called by several tenants, each get their own entries. */
class TenantryCacheAutoConfigurationTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BRAVO = TenantId.of("bravo");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TenantryCacheAutoConfiguration.class))
            .withUserConfiguration(Application.class);

    @Test
    void aCachedValueIsServedToTheTenantThatComputedItOnly() {
        runner.run(context -> {
            Counts counts = context.getBean(Counts.class);
            assertThat(TenantContext.callAs(ACME, counts::count)).isEqualTo("acme:1");
            assertThat(TenantContext.callAs(BRAVO, counts::count)).isEqualTo("bravo:2");
            assertThat(TenantContext.callAs(ACME, counts::count)).isEqualTo("acme:1");
            assertThat(TenantContext.callAs(BRAVO, counts::count)).isEqualTo("bravo:2");
            TenantContext.runAs(ACME, counts::forget);
            assertThat(TenantContext.callAs(BRAVO, counts::count)).as("evicted for acme only").isEqualTo("bravo:2");
            assertThat(TenantContext.callAs(ACME, counts::count)).isEqualTo("acme:3");
        });
    }

    @Test
    void aCacheNamedSharedServesEveryTenantTheSameEntry() {
        runner.withPropertyValues("tenantry.caching.shared-caches=countries").run(context -> {
            Counts counts = context.getBean(Counts.class);
            assertThat(TenantContext.callAs(ACME, counts::countries)).isEqualTo("countries:1");
            assertThat(TenantContext.callAs(BRAVO, counts::countries)).isEqualTo("countries:1");
        });
    }

    @Test
    void withNoTenantBoundATenantScopedCacheFailsClosed() {
        runner.run(context -> assertThatThrownBy(() -> context.getBean(Counts.class).count())
                .isInstanceOf(NoTenantBoundException.class));
    }

    @Test
    void switchedOffOrReplacedByTheApplicationsOwnConfigurerItBacksOff() {
        runner.withPropertyValues("tenantry.caching.tenant-scoped=false").run(context -> {
            assertThat(context).doesNotHaveBean(CachingConfigurer.class);
            Counts counts = context.getBean(Counts.class);
            assertThat(TenantContext.callAs(ACME, counts::count)).isEqualTo("acme:1");
            assertThat(TenantContext.callAs(BRAVO, counts::count)).as("what happens without Tenantry")
                    .isEqualTo("acme:1");
        });
        runner.withBean("ownConfigurer", CachingConfigurer.class, () -> new CachingConfigurer() { })
                .run(context -> assertThat(context).getBeans(CachingConfigurer.class).containsOnlyKeys("ownConfigurer"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class Application {

        @Bean
        CacheManager cacheManager() {
            return new ConcurrentMapCacheManager("counts", "countries");
        }

        @Bean
        Counts counts() {
            return new Counts();
        }
    }

    /** A per-tenant figure and a reference-data lookup, each counted when really computed. */
    static class Counts {
        private final AtomicInteger computed = new AtomicInteger();

        @Cacheable("counts")
        public String count() {
            return TenantContext.current() + ":" + computed.incrementAndGet();
        }

        @CacheEvict("counts")
        public void forget() {
        }

        @Cacheable("countries")
        public String countries() {
            return "countries:" + computed.incrementAndGet();
        }
    }
}
