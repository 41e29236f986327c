package io.tenantry;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A validated, canonical tenant identifier, safe to embed in database, collection, schema and
 * host names.
 *
 * <p><b>Alphabet:</b> lower-case ASCII letters {@code a-z}, digits {@code 0-9}, hyphen {@code -}
 * and underscore {@code _}; it starts and ends with a letter or a digit; 1 to {@value #MAX_LENGTH}
 * characters (the length of a DNS label, so an id also works as a subdomain). Upper case is
 * <em>rejected</em>, never folded: MongoDB compares database names case-insensitively, so accepting
 * {@code Acme} and {@code acme} as two tenants would put them in one database, and folding silently
 * would let a forged {@code ACME} header reach {@code acme}. A few names that stores reserve for
 * themselves ({@link #RESERVED}) are rejected too.
 *
 * <p>Instances are immutable and thread-safe; equal ids have equal {@link #value()}.
 */
public final class TenantId implements Comparable<TenantId> {

    /** The longest id accepted, in characters (all ASCII, so also bytes). */
    public static final int MAX_LENGTH = 63;

    /** Ids that stores reserve for their own use and that can therefore never name a tenant. */
    public static final Set<String> RESERVED = Set.of(
            "admin", "local", "config", "system", "public", "information_schema", "pg_catalog", "pg_toast");

    private final String value;

    private TenantId(String value) {
        this.value = value;
    }

    /**
     * Returns the id for {@code value}.
     *
     * @param value the id's text, exactly as it must be stored
     * @return the id
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is not a valid tenant id; the message says
     *     what is allowed, and quotes at most the first 80 characters of the input
     */
    public static TenantId of(String value) {
        Objects.requireNonNull(value, "tenant id must not be null");
        String problem = explain(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new TenantId(value);
    }

    /** Returns the id for {@code value}, or null when it is malformed; validates once. */
    static @Nullable TenantId parse(String value) {
        return problemWith(value) == null ? new TenantId(value) : null;
    }

    /** Returns the message {@link #of(String)} would fail with, or null when {@code value} is valid. */
    static @Nullable String explain(String value) {
        String problem = problemWith(value);
        return problem == null ? null
                : "Invalid tenant id " + quote(value) + ": " + problem + ". A tenant id is 1 to " + MAX_LENGTH
                        + " characters of a-z, 0-9, '-' and '_', starting and ending with a letter or digit.";
    }

    /**
     * Tells whether {@code value} is a valid tenant id, without throwing.
     *
     * @param value the candidate, may be null
     * @return true if {@link #of(String)} would accept it
     */
    public static boolean isValid(@Nullable String value) {
        return value != null && problemWith(value) == null;
    }

    private static @Nullable String problemWith(String value) {
        if (value.isEmpty()) {
            return "it is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "it is " + value.length() + " characters long, more than " + MAX_LENGTH;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "upper case '" + c + "' at position " + i + " (tenant ids are lower case; did you mean "
                        + quote(value.toLowerCase(java.util.Locale.ROOT)) + "?)";
            }
            if (!isAllowed(c)) {
                return "character " + describe(c) + " at position " + i + " is not allowed";
            }
        }
        if (!isAlphanumeric(value.charAt(0)) || !isAlphanumeric(value.charAt(value.length() - 1))) {
            return "it must start and end with a letter or digit";
        }
        if (RESERVED.contains(value)) {
            return "'" + value + "' is reserved by the stores Tenantry writes to";
        }
        return null;
    }

    private static boolean isAllowed(char c) {
        return isAlphanumeric(c) || c == '-' || c == '_';
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f || Character.isWhitespace(c) || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static String quote(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }

    /** Returns the id's text, as given to {@link #of(String)}. */
    public String value() {
        return value;
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TenantId && ((TenantId) other).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Returns {@link #value()}. */
    @Override
    public String toString() {
        return value;
    }
}
