package io.tenantry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A catalogue entry: a tenant's id, display name, status, tier, optional pinned {@link Placement},
 * optional region, free-form attributes, timestamps and a version for optimistic concurrency.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder(String)} and derive changed copies
 * with {@link #toBuilder()}.
 */
public final class Tenant {

    /** The tier of a tenant built without one. */
    public static final String DEFAULT_TIER = "default";

    private final TenantId id;
    private final String name;
    private final TenantStatus status;
    private final String tier;
    private final @Nullable Placement placement;
    private final @Nullable String region;
    private final Map<String, String> attributes;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final long version;

    private Tenant(Builder b) {
        this.id = b.id;
        this.name = b.name == null ? b.id.value() : b.name;
        this.status = b.status;
        this.tier = b.tier;
        this.placement = b.placement;
        this.region = b.region;
        this.attributes = Map.copyOf(b.attributes);
        this.createdAt = b.createdAt == null ? Instant.now() : b.createdAt;
        this.updatedAt = b.updatedAt == null ? this.createdAt : b.updatedAt;
        this.version = b.version;
    }

    /**
     * Starts a tenant with the given id, status {@link TenantStatus#ACTIVE} and tier {@value #DEFAULT_TIER}.
     *
     * @throws IllegalArgumentException if {@code id} is not a valid {@link TenantId}
     */
    public static Builder builder(String id) {
        return new Builder(TenantId.of(id));
    }

    /** Starts a tenant with the given id, status {@link TenantStatus#ACTIVE} and tier {@value #DEFAULT_TIER}. */
    public static Builder builder(TenantId id) {
        return new Builder(id);
    }

    /** Returns a builder holding every value of this tenant. */
    public Builder toBuilder() {
        Builder b = new Builder(id).name(name).status(status).tier(tier).region(region)
                .attributes(attributes).version(version);
        b.placement = placement;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        return b;
    }

    public TenantId id() {
        return id;
    }

    /** Returns the display name; the id when none was given. */
    public String name() {
        return name;
    }

    public TenantStatus status() {
        return status;
    }

    public String tier() {
        return tier;
    }

    /** Returns the placement pinned to this tenant, which wins over every routing rule. */
    public Optional<Placement> placement() {
        return Optional.ofNullable(placement);
    }

    /** Returns the region the tenant's data must stay in (data residency), if any. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** Returns the free-form attributes, unmodifiable. */
    public Map<String, String> attributes() {
        return attributes;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /**
     * Returns the version a {@link TenantDirectory} stored this entry with; an update must carry
     * the version it read, so that two concurrent updates cannot both win.
     */
    public long version() {
        return version;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Tenant)) {
            return false;
        }
        Tenant that = (Tenant) other;
        return id.equals(that.id) && name.equals(that.name) && status == that.status && tier.equals(that.tier)
                && Objects.equals(placement, that.placement) && Objects.equals(region, that.region)
                && attributes.equals(that.attributes) && version == that.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status, tier, version);
    }

    @Override
    public String toString() {
        return "Tenant{" + id + ", " + status + ", tier=" + tier
                + (placement == null ? "" : ", pinned=" + placement)
                + (region == null ? "" : ", region=" + region) + ", v" + version + "}";
    }

    /** Builds a {@link Tenant}. Not thread-safe. */
    public static final class Builder {
        private final TenantId id;
        private @Nullable String name;
        private TenantStatus status = TenantStatus.ACTIVE;
        private String tier = DEFAULT_TIER;
        private @Nullable Placement placement;
        private @Nullable String region;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;
        private long version;

        private Builder(TenantId id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder status(TenantStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /**
         * Sets the tier (for example {@code free}, {@code premium}), which routing rules match on.
         *
         * @throws IllegalArgumentException if the tier is blank
         */
        public Builder tier(String tier) {
            if (Objects.requireNonNull(tier, "tier").isBlank()) {
                throw new IllegalArgumentException("tier must not be blank");
            }
            this.tier = tier;
            return this;
        }

        /** Pins a placement, or removes the pin with {@code null}. */
        public Builder placement(@Nullable Placement placement) {
            this.placement = placement;
            return this;
        }

        /** Sets the data-residency region, or removes it with {@code null}. */
        public Builder region(@Nullable String region) {
            this.region = region;
            return this;
        }

        public Builder attribute(String key, String value) {
            attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder attributes(Map<String, String> values) {
            values.forEach(this::attribute);
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
            return this;
        }

        /** Sets the stored version; directories set it, applications normally leave it alone. */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        public Tenant build() {
            return new Tenant(this);
        }
    }
}
