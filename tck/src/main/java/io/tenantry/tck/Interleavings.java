package io.tenantry.tck;

import io.tenantry.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates tenants' operations. Keys and values come from tiny alphabets so that tenants keep
 * hitting each other's keys and values: a leak can only show where data overlaps. Keys use the
 * alphabet {@code a b 1}, so that with tenants {@code acme} and {@code acme1} a store that glues
 * tenant and key together without a separator ({@code "acme" + "1a" = "acme1" + "a"}) is caught.
 */
final class Interleavings {

    private static final String KEY_CHARS = "ab1";
    private static final String VALUE_CHARS = "xyz";

    private Interleavings() {
    }

    /** Returns 1 to {@code maxSteps} steps, each by a tenant drawn from {@code tenants}. */
    static List<Step> steps(SplittableRandom random, List<TenantId> tenants, int maxSteps) {
        int size = 1 + random.nextInt(maxSteps);
        List<Step> steps = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            steps.add(step(random, tenants.get(random.nextInt(tenants.size()))));
        }
        return steps;
    }

    /** Returns one step of {@code tenant}: mostly writes, reads and deletes, sometimes a query, count or clear. */
    static Step step(SplittableRandom random, TenantId tenant) {
        int roll = random.nextInt(100);
        if (roll < 35) {
            return new Step.Write(tenant, key(random), value(random));
        } else if (roll < 55) {
            return new Step.Read(tenant, key(random));
        } else if (roll < 67) {
            return new Step.Query(tenant, text(random, VALUE_CHARS, 0, 2));
        } else if (roll < 75) {
            return new Step.Count(tenant);
        } else if (roll < 97) {
            return new Step.Delete(tenant, key(random));
        }
        return new Step.Clear(tenant);
    }

    /** Returns one step of every kind, all for {@code tenant}. */
    static List<Step> oneOfEachKind(SplittableRandom random, TenantId tenant) {
        return List.of(new Step.Write(tenant, key(random), value(random)), new Step.Read(tenant, key(random)),
                new Step.Query(tenant, text(random, VALUE_CHARS, 0, 2)), new Step.Count(tenant),
                new Step.Delete(tenant, key(random)), new Step.Clear(tenant));
    }

    static String key(SplittableRandom random) {
        return text(random, KEY_CHARS, 1, 2);
    }

    static String value(SplittableRandom random) {
        return text(random, VALUE_CHARS, 1, 3);
    }

    static String text(SplittableRandom random, String alphabet, int minLength, int maxLength) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
