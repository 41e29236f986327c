package io.tenantry;

import java.util.Objects;

/**
 * A limit on what one tenant may hold: the items (documents, rows) of one collection or table, the storage
 * bytes of all its data, or an application counter (users, cards) that the application itself moves through
 * {@link TenantQuotas#acquire} and {@link TenantQuotas#release}.
 *
 * <p>A quota is identified by its {@link #key()} ({@code items:cards}, {@code bytes}, {@code counter:users}),
 * which is also how a tenant's attributes override its tier's limits ({@code quota.items.cards=500},
 * {@code quota.bytes=10485760}, {@code quota.counter.users=unlimited}; see {@link TenantQuotas}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what is counted
 * @param resource the collection or table for {@link Kind#ITEMS}, the counter's name for {@link Kind#COUNTER},
 *     empty for {@link Kind#BYTES}
 * @param limit the most the tenant may hold, zero or more
 */
public record Quota(Kind kind, String resource, long limit) {

    /** What a quota counts. */
    public enum Kind {
        /** Documents in one collection, or rows in one table, as the tenant sees it (its logical name). */
        ITEMS("items"),
        /** Storage bytes of all the tenant's data, as {@link TenantMetering} measures them. */
        BYTES("bytes"),
        /** An application counter, moved by {@link TenantQuotas#acquire} and {@link TenantQuotas#release}. */
        COUNTER("counter");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Returns the lower-case word that starts this kind's keys and attribute names. */
        public String label() {
            return label;
        }
    }

    /**
     * @throws IllegalArgumentException if {@code limit} is negative, or {@code resource} is blank for items or
     *     a counter, or not empty for bytes
     */
    public Quota {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resource, "resource");
        if (limit < 0) {
            throw new IllegalArgumentException("The limit of quota " + kind.label + (resource.isEmpty() ? "" : ":"
                    + resource) + " must be zero or more, was " + limit + "; leave the quota out for no limit.");
        }
        if (kind == Kind.BYTES ? !resource.isEmpty() : resource.isBlank()) {
            throw new IllegalArgumentException(kind == Kind.BYTES
                    ? "A bytes quota covers all of a tenant's data and names no resource, was \"" + resource + "\"."
                    : "A quota on " + kind.label + " must name its " + (kind == Kind.ITEMS ? "collection or table"
                            : "counter") + ".");
        }
    }

    /** A limit on the documents of collection (or rows of table) {@code resource}, by its logical name. */
    public static Quota items(String resource, long limit) {
        return new Quota(Kind.ITEMS, resource, limit);
    }

    /** A limit on the storage bytes of all the tenant's data. */
    public static Quota bytes(long limit) {
        return new Quota(Kind.BYTES, "", limit);
    }

    /** A limit on the application counter {@code name} (users, cards, seats). */
    public static Quota counter(String name, long limit) {
        return new Quota(Kind.COUNTER, name, limit);
    }

    /** Returns the key of the quota on {@code kind} and {@code resource}: {@code items:cards}, {@code bytes}. */
    public static String key(Kind kind, String resource) {
        return kind == Kind.BYTES ? kind.label : kind.label + ":" + resource;
    }

    /**
     * Returns the quota that {@code key} names, with {@code limit}: the inverse of {@link #key()}.
     *
     * @throws IllegalArgumentException if {@code key} is not {@code bytes}, {@code items:<resource>} or
     *     {@code counter:<name>}, or the limit is negative
     */
    public static Quota of(String key, long limit) {
        Objects.requireNonNull(key, "key");
        if (key.equals(Kind.BYTES.label)) {
            return bytes(limit);
        }
        int colon = key.indexOf(':');
        if (colon > 0) {
            for (Kind kind : Kind.values()) {
                if (kind != Kind.BYTES && kind.label.equals(key.substring(0, colon))) {
                    return new Quota(kind, key.substring(colon + 1), limit);
                }
            }
        }
        throw new IllegalArgumentException("\"" + key + "\" names no quota; write bytes, items:<collection or table>"
                + " or counter:<name>.");
    }

    /** Returns this quota's key: {@code items:cards}, {@code bytes} or {@code counter:users}. */
    public String key() {
        return key(kind, resource);
    }

    @Override
    public String toString() {
        return key() + "<=" + limit;
    }
}
