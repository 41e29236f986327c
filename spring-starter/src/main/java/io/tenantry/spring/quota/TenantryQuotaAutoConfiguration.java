package io.tenantry.spring.quota;

import io.tenantry.Quota;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantMetering;
import io.tenantry.TenantQuotas;
import io.tenantry.spi.QuotaLedger;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import io.tenantry.spring.TenantryAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.util.unit.DataSize;

/**
 * Quotas, with {@code tenantry.quotas.enabled=true}: core's {@link TenantQuotas} from the tiers under
 * {@code tenantry.quotas.tiers}, counting in the {@link QuotaLedger} that {@code tenantry.quotas.ledger} names
 * (this instance's memory, or the control plane the JDBC or MongoDB wiring keeps; or the application's own
 * {@code QuotaLedger} bean). The adapters' wiring hands the bean to {@code TenantMongo} and {@code TenantJdbc},
 * which check every write against it; the metering job reconciles the counts with each measurement, and the
 * lifecycle forgets a deleted tenant's counts. Refusals go to the audit sink that {@link TenantContext} has.
 */
@AutoConfiguration(after = TenantryAutoConfiguration.class, afterName = {
        "io.tenantry.spring.mongo.TenantryMongoAutoConfiguration", "io.tenantry.spring.jdbc.TenantryJdbcAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "tenantry.quotas.enabled")
@ConditionalOnBean(TenantDirectory.class)
@EnableConfigurationProperties(TenantryQuotaProperties.class)
public final class TenantryQuotaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "tenantry.quotas.ledger", havingValue = "memory", matchIfMissing = true)
    QuotaLedger tenantryQuotaLedger() {
        return QuotaLedger.inMemory();
    }

    @Bean
    @ConditionalOnMissingBean
    TenantQuotas tenantQuotas(@Lazy TenantDirectory directory, ObjectProvider<QuotaLedger> ledgers,
            ObjectProvider<TenantMetering> metering, TenantryQuotaProperties properties) {
        QuotaLedger ledger = ledgers.getIfUnique();
        if (ledger == null) {
            throw missingLedger(properties, ledgers.orderedStream().toList());
        }
        if (properties.getAuditInterval().isNegative()) {
            throw new InvalidTenantryConfigurationException("tenantry.quotas.audit-interval",
                    properties.getAuditInterval(), "an interval cannot be negative.",
                    "Use 0 to record every refusal, or a duration such as 1m.");
        }
        // the directory is looked up lazily: the adapters that enforce these quotas may be what it is built on
        TenantQuotas.Builder builder = TenantQuotas.builder(directory, ledger)
                .auditSink(event -> TenantContext.auditSink().record(event))
                .auditInterval(properties.getAuditInterval())
                // looked up when a bytes quota first needs a measurement: the metering is built from the
                // adapters' meters, and the adapters are built with these quotas
                .metering(tenant -> meteringOf(metering).usage(tenant));
        properties.getTiers().forEach((tier, quotas) -> builder.tier(tier, quotasOf(tier, quotas)));
        return builder.build();
    }

    private static TenantMetering meteringOf(ObjectProvider<TenantMetering> metering) {
        TenantMetering found = metering.getIfUnique();
        if (found == null) {
            throw new IllegalStateException("A bytes quota needs each tenant's storage measured, but metering is"
                    + " off; remove tenantry.metering.enabled=false, or remove the bytes quotas.");
        }
        return found;
    }

    static Quota[] quotasOf(String tier, TenantryQuotaProperties.Tier quotas) {
        List<Quota> all = new ArrayList<>();
        for (Map.Entry<String, Long> items : quotas.getItems().entrySet()) {
            all.add(quota(tier, "items." + items.getKey(), items.getValue(),
                    limit -> Quota.items(items.getKey(), limit)));
        }
        DataSize bytes = quotas.getBytes();
        if (bytes != null) {
            all.add(quota(tier, "bytes", bytes.toBytes(), Quota::bytes));
        }
        for (Map.Entry<String, Long> counter : quotas.getCounters().entrySet()) {
            all.add(quota(tier, "counters." + counter.getKey(), counter.getValue(),
                    limit -> Quota.counter(counter.getKey(), limit)));
        }
        return all.toArray(Quota[]::new);
    }

    private static Quota quota(String tier, String property, Long limit, LongFunction<Quota> make) {
        if (limit == null || limit < 0) {
            throw new InvalidTenantryConfigurationException("tenantry.quotas.tiers." + tier + "." + property, limit,
                    "a quota's limit must be zero or more.",
                    "Give a whole number of zero or more, or remove the entry for no limit.");
        }
        return make.apply(limit);
    }

    private static InvalidTenantryConfigurationException missingLedger(TenantryQuotaProperties properties,
            List<QuotaLedger> all) {
        String store = properties.getLedger().name().toLowerCase(Locale.ROOT);
        if (!all.isEmpty()) {
            return new InvalidTenantryConfigurationException("tenantry.quotas.ledger", store, "the application has "
                    + all.size() + " QuotaLedger beans " + all + ", and Tenantry cannot tell which one keeps the counts.",
                    "Mark one of them @Primary.");
        }
        return switch (properties.getLedger()) {
            case JDBC -> new InvalidTenantryConfigurationException("tenantry.quotas.ledger", store,
                    "the counts go to the JDBC control plane, but Tenantry's JDBC wiring is not active.",
                    "Add tenantry-jdbc and spring-boot-starter-jdbc with spring.datasource.url (the control plane),"
                            + " and leave tenantry.jdbc.enabled on; or choose tenantry.quotas.ledger=memory or mongodb.");
            case MONGODB -> new InvalidTenantryConfigurationException("tenantry.quotas.ledger", store,
                    "the counts go to the MongoDB administration database, but Tenantry's MongoDB wiring is not"
                            + " active.",
                    "Add tenantry-mongo and the MongoDB driver with tenantry.mongodb.clusters, and leave"
                            + " tenantry.mongodb.enabled on; or choose tenantry.quotas.ledger=memory or jdbc.");
            case MEMORY -> new InvalidTenantryConfigurationException("tenantry.quotas.ledger", store,
                    "no QuotaLedger bean exists.", "Define a QuotaLedger bean, or leave the property unset.");
        };
    }
}
