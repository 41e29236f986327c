package io.tenantry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps a tenant (and a logical name such as collection {@code cards}) to a physical name that a
 * store accepts, such that two different tenants never get the same name.
 *
 * <p>The name is {@code prefix + tenantId} or {@code prefix + tenantId + separator + logical}. With
 * a fixed prefix this is injective: tenant ids never contain the separator, so the first separator
 * after the prefix ends the tenant id. When that name would reach the store's byte limit it is
 * shortened to <em>exactly</em> the limit: a readable head, {@code -}, and 16 base-32 characters
 * (80 bits) of the SHA-256 of the full name. Shortened names are therefore never equal to a name
 * that was not shortened (those are strictly shorter), and two shortened names are equal only if
 * SHA-256 collides in 80 bits.
 *
 * <p>Logical names (and prefixes) must be non-empty, well-formed UTF-16 (no unpaired surrogates,
 * which all encode to the same {@code ?}), free of the store's forbidden characters and, for stores
 * that ignore case, lower case and free of letters that match another ignoring case ({@code ſ} and
 * {@code s}, {@code ς} and {@code σ}), so that {@code Cards} and {@code cards} cannot meet in one name.
 * Immutable and thread-safe.
 */
public final class PhysicalNaming {

    /** Characters of the hash suffix on shortened names. */
    public static final int HASH_LENGTH = 16;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final NameLimits limits;

    private PhysicalNaming(NameLimits limits) {
        this.limits = limits;
    }

    /** Returns the naming for a store with {@code limits}. */
    public static PhysicalNaming of(NameLimits limits) {
        return new PhysicalNaming(Objects.requireNonNull(limits, "limits"));
    }

    public NameLimits limits() {
        return limits;
    }

    /**
     * Returns the name of {@code tenant}'s own database or schema: {@code prefix + tenant}.
     *
     * @throws IllegalArgumentException if the prefix breaks the store's limits
     */
    public String name(String prefix, TenantId tenant) {
        return compose(prefix, tenant, null);
    }

    /**
     * Returns the name of {@code tenant}'s copy of {@code logical}:
     * {@code prefix + tenant + separator + logical}.
     *
     * @throws IllegalArgumentException if {@code logical} or the prefix breaks the store's limits
     */
    public String name(String prefix, TenantId tenant, String logical) {
        Objects.requireNonNull(logical, "logical");
        if (logical.isEmpty()) {
            throw new IllegalArgumentException("A logical name must not be empty.");
        }
        return compose(prefix, tenant, logical);
    }

    /**
     * Returns the logical name inside {@code physical} if it is an unshortened name of
     * {@code tenant} under {@code prefix}, or null otherwise (another tenant's, or shortened).
     */
    public @Nullable String logicalOf(String prefix, TenantId tenant, String physical) {
        String head = prefix + tenant.value() + limits.separator();
        if (!physical.startsWith(head) || utf8Length(physical) >= limits.maxBytes()) {
            return null;
        }
        return physical.substring(head.length());
    }

    private String compose(String prefix, TenantId tenant, @Nullable String logical) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(tenant, "tenant");
        check(prefix, "prefix");
        if (prefix.indexOf(limits.separator()) >= 0) {
            throw new IllegalArgumentException("Prefix \"" + prefix + "\" contains the separator '" + limits.separator()
                    + "' of " + limits.store() + "; choose a prefix without it.");
        }
        String raw;
        if (logical == null) {
            raw = prefix + tenant.value();
        } else {
            check(logical, "logical name");
            raw = prefix + tenant.value() + limits.separator() + logical;
        }
        return utf8Length(raw) < limits.maxBytes() ? raw : shorten(raw);
    }

    private void check(String part, String what) {
        boolean folds = false;
        for (int i = 0; i < part.length(); i += Character.charCount(part.codePointAt(i))) {
            int c = part.codePointAt(i);
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                // no UTF-8 form: encoders turn every unpaired surrogate into the same '?'
                throw new IllegalArgumentException("The " + what + " \"" + part + "\" contains an unpaired surrogate "
                        + String.format("U+%04X", c) + " at index " + i + ", which has no UTF-8 form.");
            }
            if (limits.forbidden().indexOf(c) >= 0 || Character.isISOControl(c)) {
                throw new IllegalArgumentException("The " + what + " \"" + part + "\" contains "
                        + String.format("U+%04X", c) + ", which a " + limits.store() + " may not contain.");
            }
            folds |= fold(c) != c || Character.toLowerCase(c) != c;
        }
        if (limits.caseInsensitive() && folds) {
            StringBuilder folded = new StringBuilder(part.length());
            part.codePoints().forEach(c -> folded.appendCodePoint(fold(c)));
            throw new IllegalArgumentException("The " + what + " \"" + part + "\" has upper case, or a letter that"
                    + " matches another ignoring case (such as '\u017f' and 's'), but " + limits.store()
                    + "s are compared case-insensitively; use \"" + folded + "\".");
        }
    }

    /** The one letter that {@link String#equalsIgnoreCase} treats {@code c} as. */
    private static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    private String shorten(String raw) {
        int headLength = limits.maxBytes() - HASH_LENGTH - 1;
        StringBuilder out = new StringBuilder(limits.maxBytes());
        for (int i = 0; i < raw.length() && out.length() < headLength; i++) {
            char c = raw.charAt(i);
            boolean plain = c < 0x7f && c > 0x20 && limits.forbidden().indexOf(c) < 0;
            out.append(plain ? c : '_');
        }
        while (out.length() < headLength) {
            out.append('_');
        }
        return out.append('-').append(hash(raw)).toString();
    }

    private static String hash(String raw) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
        char[] out = new char[HASH_LENGTH];
        long bits = 0;
        int available = 0;
        int in = 0;
        for (int i = 0; i < HASH_LENGTH; i++) {
            if (available < 5) {
                bits = (bits << 8) | (digest[in++] & 0xff);
                available += 8;
            }
            out[i] = BASE32[(int) (bits >>> (available - 5)) & 31];
            available -= 5;
        }
        return new String(out);
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
