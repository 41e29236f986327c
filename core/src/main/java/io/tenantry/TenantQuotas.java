package io.tenantry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.spi.AuditSink;
import io.tenantry.spi.QuotaLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quotas by tier, overridable per tenant, checked before every write against a running count
 * ({@link QuotaLedger}) rather than a count of the store.
 *
 * <p><b>Which quotas a tenant has.</b> Its tier's quotas ({@link Builder#tier}), then its attributes:
 * {@code quota.items.<collection or table>}, {@code quota.bytes} and {@code quota.counter.<name>}, each a limit
 * (a whole number, zero or more) or {@code unlimited}, which lifts the tier's quota. A malformed attribute fails
 * every write of the tenant with an {@link IllegalArgumentException} that names it, rather than being ignored.
 *
 * <p><b>How a write is checked.</b> An adapter {@linkplain #reserve reserves} what a write adds before it writes:
 * the ledger adds the items if they fit under the limit, atomically, and the write is refused with a
 * {@link QuotaExceededException} otherwise; after the write the adapter {@linkplain Reservation#settle settles}
 * the reservation with what was written, which gives back the rest. Deletes {@linkplain #removed give back} what
 * they removed. The first write under a quota counts the store once to start the count.
 *
 * <p><b>Overshoot.</b> Concurrent writers never take the count past a limit: each reservation is one atomic
 * conditional add. The store can still pass the count, by at most:
 * <ul>
 *   <li>items reserved but not yet written when a {@linkplain #reconcile reconciliation} measured the store (at
 *       most the number of concurrent writers times their largest batch), until the next reconciliation;
 *   <li>for {@code bytes}: what writes add beyond the estimate they reserved (the MongoDB adapter reserves each
 *       document's BSON size; where a write's size is not known beforehand, as on PostgreSQL, a write is refused
 *       only once the measured or estimated bytes have reached the limit), until the next reconciliation;
 *   <li>what reaches the store around Tenantry (another client, a trigger, a cascade) or while the quota was not
 *       in force (counts are kept only under a quota), until the next reconciliation.
 * </ul>
 * Counts err high when a transaction that wrote rolls back later; reconciliation corrects that too.
 *
 * <p><b>Audit.</b> A refusal is recorded as {@link AuditEvent.Kind#QUOTA_EXCEEDED}. A tenant hammering a full
 * quota would write one event per attempt, so refusals of one tenant's quota are coalesced: the first is
 * recorded, and then at most one per {@link Builder#auditInterval interval}, which says how many were refused
 * since the last record.
 *
 * <p>Thread-safe.
 */
public final class TenantQuotas {

    /** The start of every attribute that overrides a quota: {@code quota.items.cards}, {@code quota.bytes}. */
    public static final String ATTRIBUTE_PREFIX = "quota.";

    /** The value of a quota attribute that lifts the tier's quota. */
    public static final String UNLIMITED = "unlimited";

    private static final Logger LOG = LoggerFactory.getLogger(TenantQuotas.class);

    /** How often an add that the ledger refused, but that fits the count read afterwards, is tried again. */
    private static final int MAX_ATTEMPTS = 4;

    private final TenantDirectory directory;
    private final QuotaLedger ledger;
    private final Map<String, Map<String, Quota>> tiers;
    private final @Nullable Function<TenantId, TenantUsage> measure;
    private final AuditSink audit;
    private final Duration auditInterval;
    /** Coalesced refusals by tenant and quota key, bounded so that a flood of tenant ids cannot grow it. */
    private final Cache<String, Refusals> refusals;

    private TenantQuotas(Builder b) {
        this.directory = b.directory;
        this.ledger = b.ledger;
        Map<String, Map<String, Quota>> copy = new HashMap<>();
        b.tiers.forEach((tier, quotas) -> copy.put(tier, Map.copyOf(quotas)));
        this.tiers = Map.copyOf(copy);
        this.measure = b.measure;
        this.audit = b.audit;
        this.auditInterval = b.auditInterval;
        this.refusals = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1)).build();
    }

    /** Starts quotas over the tenants of {@code directory}, counted in {@code ledger}. */
    public static Builder builder(TenantDirectory directory, QuotaLedger ledger) {
        return new Builder(directory, ledger);
    }

    /** Returns the ledger that holds the running counts. */
    public QuotaLedger ledger() {
        return ledger;
    }

    /**
     * Returns the quotas in force for {@code tenant}: its tier's, overridden by its attributes, by key.
     *
     * @throws IllegalArgumentException if one of its quota attributes is malformed
     */
    public Map<String, Quota> quotasOf(Tenant tenant) {
        Map<String, Quota> quotas = new TreeMap<>(tiers.getOrDefault(tenant.tier(), Map.of()));
        tenant.attributes().forEach((name, value) -> {
            if (!name.startsWith(ATTRIBUTE_PREFIX)) {
                return;
            }
            Quota quota = fromAttribute(tenant.id(), name, value);
            if (quota == null) {
                quotas.remove(keyOfAttribute(tenant.id(), name));
            } else {
                quotas.put(quota.key(), quota);
            }
        });
        return Map.copyOf(quotas);
    }

    /** Returns each quota in force for {@code tenant} with its running count, by key. */
    public List<QuotaUsage> usage(TenantId tenant) {
        Map<String, Quota> quotas = quotasOf(directory.require(tenant));
        if (quotas.isEmpty()) {
            return List.of();
        }
        Map<String, Long> counts = ledger.counts(tenant);
        List<QuotaUsage> usage = new ArrayList<>();
        new TreeMap<>(quotas).forEach((key, quota) -> {
            Long count = counts.get(key);
            usage.add(new QuotaUsage(quota, count == null ? OptionalLong.empty() : OptionalLong.of(count)));
        });
        return List.copyOf(usage);
    }

    /**
     * Reserves {@code items} more items of {@code resource} (and {@code bytes} more storage) for a write of
     * {@code tenant} that is about to run, or refuses it. Without a quota on either, returns
     * {@link Reservation#NONE} and touches no count. The first reservation under a quota starts the count from
     * {@code count}, which counts the tenant's items of {@code resource} in the store.
     *
     * @param bytes the write's size when the adapter knows it, otherwise zero
     * @throws QuotaExceededException if the items or bytes would pass a quota; nothing stays reserved
     * @throws UnknownTenantException if the directory has no such tenant
     * @throws IllegalArgumentException if {@code items} or {@code bytes} is negative
     */
    public Reservation reserve(TenantId tenant, String resource, long items, long bytes, LongSupplier count) {
        if (items < 0 || bytes < 0) {
            throw new IllegalArgumentException("items and bytes must not be negative, were " + items + " and " + bytes);
        }
        Map<String, Quota> quotas = quotasOf(directory.require(tenant));
        Quota itemQuota = quotas.get(Quota.key(Quota.Kind.ITEMS, resource));
        Quota byteQuota = quotas.get(Quota.key(Quota.Kind.BYTES, ""));
        if (itemQuota == null && byteQuota == null || items == 0 && bytes == 0) {
            return Reservation.NONE;
        }
        long reservedBytes = 0;
        if (byteQuota != null) {
            reservedBytes = reserveBytes(tenant, byteQuota, bytes);
        }
        if (itemQuota != null) {
            String key = itemQuota.key();
            if (tryAdd(tenant, key, items, itemQuota.limit(), count).isEmpty()) {
                if (reservedBytes > 0) {
                    ledger.add(tenant, byteQuota.key(), -reservedBytes);
                }
                throw refused(tenant, itemQuota, ledger.get(tenant, key).orElse(0), items);
            }
        }
        return new Reservation(this, tenant, itemQuota == null ? null : itemQuota.key(), itemQuota == null ? 0 : items,
                reservedBytes > 0 ? byteQuota.key() : null, reservedBytes);
    }

    private long reserveBytes(TenantId tenant, Quota quota, long bytes) {
        String key = quota.key();
        LongSupplier measured = () -> {
            if (measure == null) {
                throw new IllegalStateException("Tenant " + tenant + " has a bytes quota, which needs its storage"
                        + " measured: give TenantQuotas.builder(...).metering(...) the application's TenantMetering.");
            }
            return measure.apply(tenant).totalBytes();
        };
        if (bytes == 0) {
            // the write's size is not known: refuse only once the bytes counted so far reach the limit
            OptionalLong held = ledger.get(tenant, key);
            long count = held.isPresent() ? held.getAsLong() : ledger.initialise(tenant, key, measured.getAsLong());
            if (count >= quota.limit()) {
                throw refused(tenant, quota, count, 0);
            }
            return 0;
        }
        if (tryAdd(tenant, key, bytes, quota.limit(), measured).isEmpty()) {
            throw refused(tenant, quota, ledger.get(tenant, key).orElse(0), bytes);
        }
        return bytes;
    }

    /**
     * Adds under the limit with one call to the ledger on the usual path; a count that was never started is
     * started from {@code count} first, which costs a count of the store once per count's lifetime. A ledger
     * that found no count and then saw one started by a concurrent writer says "full" for an add that fits: such
     * an answer is checked against the count and the add tried again, so that only a count that is really full
     * refuses.
     */
    private OptionalLong tryAdd(TenantId tenant, String key, long amount, long limit, LongSupplier count) {
        for (int attempt = 0; ; attempt++) {
            try {
                OptionalLong added = ledger.tryAdd(tenant, key, amount, limit);
                if (added.isPresent() || attempt == MAX_ATTEMPTS) {
                    return added;
                }
                OptionalLong held = ledger.get(tenant, key);
                if (held.isPresent() && held.getAsLong() + amount > limit) {
                    return OptionalLong.empty();
                }
            } catch (IllegalStateException notStarted) {
                if (attempt == MAX_ATTEMPTS) {
                    throw notStarted;
                }
                ledger.initialise(tenant, key, count.getAsLong());
            }
        }
    }

    /**
     * Gives back {@code items} items of {@code resource} that a delete of {@code tenant} removed from the store.
     * Does nothing without a quota on {@code resource} or a count of it.
     */
    public void removed(TenantId tenant, String resource, long items) {
        if (items <= 0) {
            return;
        }
        Quota quota = quotasOf(directory.require(tenant)).get(Quota.key(Quota.Kind.ITEMS, resource));
        if (quota != null) {
            ledger.add(tenant, quota.key(), -items);
        }
    }

    /**
     * Adds {@code amount} to the application counter {@code counter} of {@code tenant} (a user signed up, a
     * card was issued), or refuses if that would pass the counter's quota. Counters are counted with or without
     * a quota, from zero.
     *
     * @throws QuotaExceededException if the counter would pass its quota; the counter is unchanged
     * @throws IllegalArgumentException if {@code amount} is negative or {@code counter} blank
     */
    public void acquire(TenantId tenant, String counter, long amount) {
        Quota quota = quotasOf(directory.require(tenant)).get(Quota.key(Quota.Kind.COUNTER, counter));
        String key = Quota.counter(counter, 0).key();
        if (tryAdd(tenant, key, amount, quota == null ? Long.MAX_VALUE : quota.limit(), () -> 0).isEmpty()) {
            throw refused(tenant, quota, ledger.get(tenant, key).orElse(0), amount);
        }
    }

    /** Takes {@code amount} from the application counter {@code counter} of {@code tenant}, stopping at zero. */
    public void release(TenantId tenant, String counter, long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount);
        }
        ledger.add(tenant, Quota.counter(counter, 0).key(), -amount);
    }

    /**
     * Measures {@code tenant} with {@code measurement} and sets its item and byte counts to what was measured.
     * A count that changed while the store was measured is left for the next reconciliation, so that a write
     * counted during the measurement is not lost. Application counters are the application's and stay.
     *
     * @return the measurement
     */
    public TenantUsage reconcile(TenantId tenant, Supplier<TenantUsage> measurement) {
        Map<String, Quota> quotas = quotasOf(directory.require(tenant));
        Map<String, Long> before = ledger.counts(tenant);
        TenantUsage usage = measurement.get();
        Map<String, Long> after = ledger.counts(tenant);
        quotas.forEach((key, quota) -> {
            long measured;
            switch (quota.kind()) {
                case ITEMS -> measured = usage.items(quota.resource());
                case BYTES -> measured = usage.totalBytes();
                default -> {
                    return;
                }
            }
            Long held = after.get(key);
            if (held == null) {
                ledger.initialise(tenant, key, measured);
            } else if (held.equals(before.get(key)) && held != measured) {
                if (ledger.compareAndSet(tenant, key, held, measured)) {
                    LOG.debug("Tenant {}: count of {} reconciled from {} to {}", tenant, key, held, measured);
                }
            }
        });
        return usage;
    }

    /** Removes every count of {@code tenant}: its data was deleted, and a tenant registered later under its id starts afresh. */
    public void forget(TenantId tenant) {
        ledger.forget(tenant);
    }

    private QuotaExceededException refused(TenantId tenant, @Nullable Quota quota, long usage, long requested) {
        Quota q = Objects.requireNonNull(quota, "quota");
        QuotaExceededException refusal = new QuotaExceededException(tenant, q, usage, requested);
        Instant now = Instant.now();
        AtomicBoolean record = new AtomicBoolean();
        long[] since = {0};
        refusals.asMap().compute(tenant.value() + "\u0000" + q.key(), (k, window) -> {
            if (window == null || !now.isBefore(window.recorded.plus(auditInterval))) {
                record.set(true);
                since[0] = window == null ? 0 : window.unrecorded;
                return new Refusals(now);
            }
            window.unrecorded++;
            return window;
        });
        if (record.get()) {
            try {
                audit.record(new AuditEvent(AuditEvent.Kind.QUOTA_EXCEEDED, tenant, q.key() + ": " + usage + " of "
                        + q.limit() + " used, " + requested + " more refused"
                        + (since[0] == 0 ? "" : "; " + since[0] + " more refusals since the last record")));
            } catch (RuntimeException e) {
                LOG.warn("Recording a quota refusal of tenant {} failed: {}", tenant, e.toString());
            }
        }
        return refusal;
    }

    private static @Nullable Quota fromAttribute(TenantId tenant, String name, String value) {
        String key = keyOfAttribute(tenant, name);
        if (value.strip().equals(UNLIMITED)) {
            return null;
        }
        try {
            return Quota.of(key, Long.parseLong(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Tenant " + tenant + " has attribute " + name + "=\"" + value
                    + "\", which is not a quota: give a whole number of zero or more, or " + UNLIMITED + ". ("
                    + e.getMessage() + ")", e);
        }
    }

    /** {@code quota.items.cards} to {@code items:cards}, {@code quota.bytes} to {@code bytes}. */
    private static String keyOfAttribute(TenantId tenant, String name) {
        String rest = name.substring(ATTRIBUTE_PREFIX.length());
        if (rest.equals(Quota.Kind.BYTES.label())) {
            return rest;
        }
        for (Quota.Kind kind : Quota.Kind.values()) {
            String head = kind.label() + ".";
            if (kind != Quota.Kind.BYTES && rest.startsWith(head) && rest.length() > head.length()) {
                return Quota.key(kind, rest.substring(head.length()));
            }
        }
        throw new IllegalArgumentException("Tenant " + tenant + " has attribute " + name + ", which names no quota;"
                + " write " + ATTRIBUTE_PREFIX + "bytes, " + ATTRIBUTE_PREFIX + "items.<collection or table> or "
                + ATTRIBUTE_PREFIX + "counter.<name>.");
    }

    /** Refusals of one quota since the last one recorded. */
    private static final class Refusals {
        final Instant recorded;
        long unrecorded;

        Refusals(Instant recorded) {
            this.recorded = recorded;
        }
    }

    /**
     * What a write reserved under a tenant's quotas, to be {@linkplain #settle settled} once with what the
     * write did. Not thread-safe: one write, one thread.
     */
    public static final class Reservation {

        /** The reservation of a write that no quota applies to; settling it does nothing. */
        public static final Reservation NONE = new Reservation(null, null, null, 0, null, 0);

        private final @Nullable TenantQuotas quotas;
        private final @Nullable TenantId tenant;
        private final @Nullable String itemKey;
        private final long items;
        private final @Nullable String byteKey;
        private final long bytes;
        private boolean settled;

        private Reservation(@Nullable TenantQuotas quotas, @Nullable TenantId tenant, @Nullable String itemKey,
                long items, @Nullable String byteKey, long bytes) {
            this.quotas = quotas;
            this.tenant = tenant;
            this.itemKey = itemKey;
            this.items = items;
            this.byteKey = byteKey;
            this.bytes = bytes;
        }

        /** Returns how many items were reserved (zero without an items quota). */
        public long items() {
            return items;
        }

        /**
         * Keeps {@code written} of the reserved items and gives back the rest; with nothing written, gives back
         * the reserved bytes too. Call it once, whether the write succeeded, failed part-way or failed.
         *
         * @throws IllegalStateException if the reservation was settled before
         * @throws IllegalArgumentException if {@code written} is negative
         */
        public void settle(long written) {
            if (written < 0) {
                throw new IllegalArgumentException("written must not be negative, was " + written);
            }
            if (quotas == null) {
                return;
            }
            if (settled) {
                throw new IllegalStateException("This reservation was settled already.");
            }
            settled = true;
            if (itemKey != null && written < items) {
                quotas.ledger.add(tenant, itemKey, written - items);
            }
            if (byteKey != null && written == 0) {
                quotas.ledger.add(tenant, byteKey, -bytes);
            }
        }

        /** Gives back everything reserved: the write did not happen. */
        public void cancel() {
            settle(0);
        }

        @Override
        public String toString() {
            return quotas == null ? "Reservation.NONE" : "Reservation{" + tenant + ", " + itemKey + "+" + items + ", "
                    + byteKey + "+" + bytes + (settled ? ", settled" : "") + "}";
        }
    }

    /** Builds {@link TenantQuotas}. Not thread-safe. */
    public static final class Builder {
        private final TenantDirectory directory;
        private final QuotaLedger ledger;
        private final Map<String, Map<String, Quota>> tiers = new LinkedHashMap<>();
        private @Nullable Function<TenantId, TenantUsage> measure;
        private AuditSink audit = AuditSink.slf4j();
        private Duration auditInterval = Duration.ofMinutes(1);

        private Builder(TenantDirectory directory, QuotaLedger ledger) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.ledger = Objects.requireNonNull(ledger, "ledger");
        }

        /**
         * Sets the quotas of tier {@code tier}; a later call for the same tier replaces them. A tier with no
         * quotas (or none given) is unlimited.
         *
         * @throws IllegalArgumentException if two quotas have the same key
         */
        public Builder tier(String tier, Quota... quotas) {
            Map<String, Quota> byKey = new LinkedHashMap<>();
            for (Quota quota : quotas) {
                if (byKey.put(quota.key(), quota) != null) {
                    throw new IllegalArgumentException("Tier " + tier + " has two quotas on " + quota.key()
                            + "; keep one.");
                }
            }
            tiers.put(Objects.requireNonNull(tier, "tier"), byKey);
            return this;
        }

        /** Sets the metering that measures storage for {@code bytes} quotas and starts their counts. */
        public Builder metering(TenantMetering metering) {
            return metering(Objects.requireNonNull(metering, "metering")::usage);
        }

        /**
         * Sets how a tenant's storage is measured for {@code bytes} quotas, called at most once per tenant to start
         * its count: for a metering that is built after the quotas (an adapter that enforces them also meters).
         */
        public Builder metering(Function<TenantId, TenantUsage> measure) {
            this.measure = Objects.requireNonNull(measure, "measure");
            return this;
        }

        /** Sets where refusals are recorded; {@link AuditSink#slf4j()} unless set. */
        public Builder auditSink(AuditSink audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        /**
         * Sets how often refusals of one tenant's quota are recorded at most; one minute unless set.
         *
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Builder auditInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("The audit interval must not be negative, was " + interval);
            }
            this.auditInterval = interval;
            return this;
        }

        /**
         * @throws IllegalStateException if a tier has a bytes quota and no {@link #metering} was given
         */
        public TenantQuotas build() {
            if (measure == null) {
                tiers.forEach((tier, quotas) -> {
                    if (quotas.containsKey(Quota.Kind.BYTES.label())) {
                        throw new IllegalStateException("Tier " + tier + " has a bytes quota, which needs the"
                                + " tenants' storage measured: call metering(...) with the application's"
                                + " TenantMetering.");
                    }
                });
            }
            return new TenantQuotas(this);
        }
    }
}
