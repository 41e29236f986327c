package io.tenantry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Generators shared by the property tests. */
final class Gens {

    /** Letters and digits: what a tenant id starts and ends with. */
    static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** The whole documented tenant-id alphabet. */
    static final String ID_CHARS = ALPHANUMERIC + "-_";

    private Gens() {
    }

    static char pick(SplittableRandom random, String chars) {
        return chars.charAt(random.nextInt(chars.length()));
    }

    static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A length in {@code [min, max]} that hits both bounds often. */
    static int length(SplittableRandom random, int min, int max) {
        switch (random.nextInt(6)) {
            case 0:
                return min;
            case 1:
                return max;
            case 2:
                return min + random.nextInt(Math.min(4, max - min + 1));
            default:
                return min + random.nextInt(max - min + 1);
        }
    }

    /** A string of {@code length} characters of {@code chars}. */
    static String string(SplittableRandom random, String chars, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(pick(random, chars));
        }
        return out.toString();
    }

    /** Text of the tenant-id alphabet that may break the edge rules: the raw material of valid and invalid ids. */
    static String idShaped(SplittableRandom random, int length) {
        return string(random, ID_CHARS, length);
    }

    /** A valid tenant id of 1 to {@link TenantId#MAX_LENGTH} characters, built from the documented alphabet. */
    static String validId(SplittableRandom random) {
        return validId(random, length(random, 1, TenantId.MAX_LENGTH));
    }

    /** A valid tenant id of exactly {@code length} characters. */
    static String validId(SplittableRandom random, int length) {
        while (true) {
            StringBuilder out = new StringBuilder(length);
            out.append(pick(random, ALPHANUMERIC));
            for (int i = 1; i < length - 1; i++) {
                out.append(pick(random, ID_CHARS));
            }
            if (length > 1) {
                out.append(pick(random, ALPHANUMERIC));
            }
            String id = out.toString();
            if (!TenantId.RESERVED.contains(id)) {
                return id;
            }
        }
    }

    static TenantId tenantId(SplittableRandom random) {
        return TenantId.of(validId(random));
    }

    /** {@code count} distinct tenant ids, short ones (1 to 12 characters) so that they often share prefixes. */
    static List<TenantId> distinctTenantIds(SplittableRandom random, int count, int maxLength) {
        Set<String> ids = new LinkedHashSet<>();
        while (ids.size() < count) {
            ids.add(validId(random, length(random, 1, maxLength)));
        }
        List<TenantId> out = new ArrayList<>(count);
        ids.forEach(id -> out.add(TenantId.of(id)));
        return out;
    }
}
