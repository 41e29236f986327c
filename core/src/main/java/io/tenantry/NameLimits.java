package io.tenantry;

import java.util.Objects;

/**
 * What a store accepts as a physical name: a maximum length in UTF-8 bytes, forbidden characters,
 * whether it compares names case-insensitively, and the separator {@link PhysicalNaming} puts
 * between a tenant id and a logical name. The separator must be a character that tenant ids never
 * contain, which is what makes composed names injective. Immutable.
 */
public final class NameLimits {

    /**
     * MongoDB database names: fewer than 64 bytes, none of {@code / \ . " $ * < > : | ?}, space or
     * NUL, and unique case-insensitively.
     */
    public static final NameLimits MONGODB_DATABASE = new NameLimits("MongoDB database name", 63,
            "/\\. \"$*<>:|?\u0000", true, '~');

    /** PostgreSQL identifiers (schemas, databases): at most 63 bytes; Tenantry quotes them. */
    public static final NameLimits POSTGRESQL_IDENTIFIER = new NameLimits("PostgreSQL identifier", 63,
            "\u0000\"", true, '~');

    private final String store;
    private final int maxBytes;
    private final String forbidden;
    private final boolean caseInsensitive;
    private final char separator;

    /**
     * Describes a store's limits.
     *
     * @param store what the names are, for error messages ({@code "MongoDB collection name"})
     * @param maxBytes the longest name, in UTF-8 bytes; at least 32
     * @param forbidden characters that may not appear in a name
     * @param caseInsensitive whether the store treats names differing only in case as the same
     * @param separator put between tenant id and logical name; not a tenant-id character, not forbidden
     * @throws IllegalArgumentException if {@code maxBytes} is under 32 or the separator is unusable
     */
    public NameLimits(String store, int maxBytes, String forbidden, boolean caseInsensitive, char separator) {
        this.store = Objects.requireNonNull(store, "store");
        this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
        if (maxBytes < 32) {
            throw new IllegalArgumentException("maxBytes must be at least 32 to leave room for a hash, was " + maxBytes);
        }
        if (TenantId.isValid("a" + separator + "a") || separator == '-' || separator == '_'
                || forbidden.indexOf(separator) >= 0 || separator > 0x7e || separator < 0x21) {
            throw new IllegalArgumentException("Separator '" + separator + "' must be printable ASCII, allowed by the"
                    + " store, and never part of a tenant id.");
        }
        this.maxBytes = maxBytes;
        this.caseInsensitive = caseInsensitive;
        this.separator = separator;
    }

    /**
     * MongoDB collection names inside {@code database}: the namespace {@code database.collection}
     * is at most 255 bytes; no {@code $} or NUL; the separator is {@code .}.
     */
    public static NameLimits mongodbCollection(String database) {
        int room = 255 - database.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - 1;
        return new NameLimits("MongoDB collection name in " + database, room, "$\u0000", false, '.');
    }

    public String store() {
        return store;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public String forbidden() {
        return forbidden;
    }

    public boolean caseInsensitive() {
        return caseInsensitive;
    }

    public char separator() {
        return separator;
    }

    @Override
    public String toString() {
        return store + " (max " + maxBytes + " bytes" + (caseInsensitive ? ", case-insensitive" : "") + ")";
    }
}
