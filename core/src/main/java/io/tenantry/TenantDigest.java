package io.tenantry;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one tenant's data at one placement amounts to, per collection or table: how many documents or
 * rows, and a content hash that does not depend on their order. Two placements hold the same data when
 * their digests are equal; a move copies, then compares the digest of the copy with the source's
 * before it switches the tenant over.
 *
 * <p>Each item (a document, a row) is hashed with SHA-256 over the canonical bytes its adapter gives
 * (for example MongoDB Extended JSON with keys in stored order, or a row's typed values); the
 * resource's hash is the sum modulo 2<sup>128</sup> of the items' first 128 bits, so it is independent
 * of order and counts duplicates. Resources with no item are left out, so an empty table created by
 * provisioning equals a missing one. Immutable; the builder is not thread-safe.
 */
public final class TenantDigest {

    private final Map<String, Entry> resources;

    private TenantDigest(Map<String, Entry> resources) {
        this.resources = resources;
    }

    /** The digest of one collection or table: its item count and order-independent content hash. */
    public record Entry(long count, String hash) {
    }

    /** The hash of a resource with no item: the empty sum. */
    public static final String EMPTY_HASH = "0".repeat(32);

    /** Starts a digest. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the digest with these entries, as stated elsewhere (an archive's manifest, say).
     *
     * @throws IllegalArgumentException if an entry has no item (resources without items are left out) or
     *     a hash that is not 32 lower-case hexadecimal digits
     */
    public static TenantDigest of(Map<String, Entry> entries) {
        Map<String, Entry> sorted = new TreeMap<>();
        entries.forEach((name, entry) -> {
            if (entry.count() <= 0) {
                throw new IllegalArgumentException("Resource \"" + name + "\" has " + entry.count() + " item(s); a digest"
                        + " leaves out resources without items.");
            }
            if (!entry.hash().matches("[0-9a-f]{32}")) {
                throw new IllegalArgumentException("Resource \"" + name + "\" has hash \"" + entry.hash()
                        + "\"; a digest's hashes are 32 lower-case hexadecimal digits.");
            }
            sorted.put(name, entry);
        });
        return new TenantDigest(java.util.Collections.unmodifiableMap(sorted));
    }

    /** Returns the entries by resource name, sorted, without empty resources. */
    public Map<String, Entry> resources() {
        return resources;
    }

    /** Returns the number of items over all resources. */
    public long totalCount() {
        return resources.values().stream().mapToLong(Entry::count).sum();
    }

    /** Returns, for each resource whose count or hash differs from {@code other}'s, a line saying how. */
    public List<String> differences(TenantDigest other) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(resources.keySet());
        names.addAll(other.resources.keySet());
        for (String name : names) {
            Entry mine = resources.getOrDefault(name, new Entry(0, "-"));
            Entry theirs = other.resources.getOrDefault(name, new Entry(0, "-"));
            if (!mine.equals(theirs)) {
                lines.add(name + ": " + mine.count() + " item(s) " + mine.hash() + " vs " + theirs.count()
                        + " item(s) " + theirs.hash());
            }
        }
        return lines;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TenantDigest digest && digest.resources.equals(resources);
    }

    @Override
    public int hashCode() {
        return resources.hashCode();
    }

    @Override
    public String toString() {
        return "TenantDigest" + resources;
    }

    /** Accumulates items; not thread-safe. */
    public static final class Builder {

        private final Map<String, long[]> sums = new TreeMap<>();
        private final MessageDigest sha;

        private Builder() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", e);
            }
        }

        /**
         * Adds one item of {@code resource}.
         *
         * @param resource the collection's or table's logical name
         * @param canonical the item's canonical bytes: equal items must give equal bytes
         * @return this builder
         */
        public Builder add(String resource, byte[] canonical) {
            Objects.requireNonNull(resource, "resource");
            ByteBuffer hash = ByteBuffer.wrap(sha.digest(Objects.requireNonNull(canonical, "canonical")));
            long high = hash.getLong();
            long low = hash.getLong();
            long[] sum = sums.computeIfAbsent(resource, r -> new long[3]);
            long previousLow = sum[2];
            sum[2] += low;
            sum[1] += high + (Long.compareUnsigned(sum[2], previousLow) < 0 ? 1 : 0);
            sum[0]++;
            return this;
        }

        /** Returns the digest of the items added so far. */
        public TenantDigest build() {
            Map<String, Entry> entries = new TreeMap<>();
            sums.forEach((name, sum) -> {
                if (sum[0] > 0) {
                    entries.put(name, new Entry(sum[0], String.format("%016x%016x", sum[1], sum[2])));
                }
            });
            return new TenantDigest(java.util.Collections.unmodifiableMap(entries));
        }
    }
}
