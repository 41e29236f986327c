package io.tenantry.spring.cache.app;

import io.tenantry.spring.NoSqlDatabase;
import io.tenantry.TenantContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that caches per-tenant figures as a user would: {@code @EnableCaching}, a
 * {@code @Cacheable} service method that counts the current tenant's documents through Spring Boot's
 * {@link MongoTemplate}, and one cache of figures every tenant shares. It names no tenant anywhere.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
@EnableCaching
@Import({CardStatsApplication.CardStats.class, CardStatsApplication.StatsController.class})
public class CardStatsApplication {

    @Bean
    CacheManager cacheManager() {
        return new ConcurrentMapCacheManager();
    }

    /** A stateless API open to anyone; the tenant comes from the X-Tenant-Id header. */
    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable()).build();
    }

    @Service
    public static class CardStats {

        private final MongoTemplate template;
        private final AtomicInteger counted = new AtomicInteger();
        private final AtomicInteger priced = new AtomicInteger();

        CardStats(MongoTemplate template) {
            this.template = template;
        }

        /** The number of the current tenant's cards, computed once and then served from the cache. */
        @Cacheable("cardCounts")
        public long cardCount() {
            counted.incrementAndGet();
            return template.getCollection("cards").countDocuments();
        }

        /** Figures every tenant shares (the cache is named in tenantry.caching.shared-caches). */
        @Cacheable("exchangeRates")
        public String exchangeRates() {
            return "rates #" + priced.incrementAndGet() + " (first asked by " + TenantContext.current() + ")";
        }

        /** How many times {@link #cardCount()} really counted. */
        public int countings() {
            return counted.get();
        }

        /** Inserts a card for the current tenant. */
        public void addCard(String name) {
            template.getCollection("cards").insertOne(new Document("name", name));
        }

        /** Deletes every card of the current tenant. */
        public void deleteCards() {
            template.getCollection("cards").deleteMany(new Document());
        }
    }

    @RestController
    static class StatsController {

        private final CardStats stats;

        StatsController(CardStats stats) {
            this.stats = stats;
        }

        @GetMapping("/stats")
        Map<String, Object> stats() {
            return Map.of("cards", stats.cardCount(), "rates", stats.exchangeRates());
        }
    }
}
