package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Injective naming under each store's limits. Logical names are drawn mostly from what the store
 * accepts, with look-alikes that differ only by case folding, the separator itself, multi-byte and
 * supplementary characters, and now and then something a store forbids: names Tenantry refuses are
 * skipped, and every name it accepts must keep the invariants.
 */
class PhysicalNamingProperties {

    /** Characters that case-fold onto others (long s, dotless i, final sigma, micro sign, Kelvin, ...). */
    static final String FOLDING = "s\u017fi\u0131\u03c3\u03c2\u03bc\u00b5k\u212a\u00df\u1e9e";
    /** Multi-byte characters, supplementary ones (an emoji, Deseret small and capital letters) among them. */
    static final List<String> NON_ASCII = List.of("\u00e9", "\u0436", "\u4e2d", "\ud83d\ude00", "\ud801\udc28",
            "\ud801\udc00");
    /** Things some store forbids: upper case, controls, unpaired surrogates. */
    static final String RISKY = "AZ\u0130\u0000\u0001\u007f\u0085\ud800\udc00";

    static final Pattern SHORTENED = Pattern.compile("[\\x21-\\x7e]*-[a-z2-7]{" + PhysicalNaming.HASH_LENGTH + "}");

    record Pair(TenantId tenant, @Nullable String logical) {
        @Override
        public String toString() {
            return tenant + "|" + (logical == null ? "<database>" : escape(logical));
        }
    }

    record Sample(String prefix, List<TenantId> tenants, List<Pair> pairs) {
        @Override
        public String toString() {
            return "prefix \"" + prefix + "\", pairs " + pairs;
        }
    }

    @Test
    void mongodb_database_names_are_injective_and_within_limits() {
        check(NameLimits.MONGODB_DATABASE);
    }

    @Test
    void postgresql_identifiers_are_injective_and_within_limits() {
        check(NameLimits.POSTGRESQL_IDENTIFIER);
    }

    @Test
    void mongodb_collection_names_in_a_short_database_are_injective_and_within_limits() {
        check(NameLimits.mongodbCollection("cardvault"));
    }

    @Test
    void mongodb_collection_names_in_a_long_database_are_injective_and_within_the_little_room_left() {
        NameLimits limits = NameLimits.mongodbCollection("d".repeat(200));
        assertThat(limits.maxBytes()).isEqualTo(54);
        check(limits);
    }

    static void check(NameLimits limits) {
        PhysicalNaming naming = PhysicalNaming.of(limits);
        Property.forAll(300, random -> sample(random, limits), sample -> {
            Map<String, Pair> byBytes = new LinkedHashMap<>();
            Map<String, Pair> byFolded = new LinkedHashMap<>();
            for (Pair pair : sample.pairs()) {
                String name;
                try {
                    name = pair.logical() == null ? naming.name(sample.prefix(), pair.tenant())
                            : naming.name(sample.prefix(), pair.tenant(), pair.logical());
                } catch (IllegalArgumentException refused) {
                    continue;
                }
                checkOne(limits, naming, sample, pair, name);
                String bytes = HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8));
                Pair clash = byBytes.putIfAbsent(bytes, pair);
                assertThat(clash).as(() -> clash + " and " + pair + " both map to \"" + escape(name) + "\"").isNull();
                if (limits.caseInsensitive()) {
                    Pair folded = byFolded.putIfAbsent(fold(name), pair);
                    assertThat(folded).as(() -> folded + " and " + pair + " map to names equal ignoring case (\""
                            + escape(name) + "\")").isNull();
                }
            }
        });
    }

    /** Checks one accepted name; plain checks rather than AssertJ, as this runs for every generated name. */
    private static void checkOne(NameLimits limits, PhysicalNaming naming, Sample sample, Pair pair, String name) {
        String raw = sample.prefix() + pair.tenant().value()
                + (pair.logical() == null ? "" : limits.separator() + pair.logical());
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        require(bytes <= limits.maxBytes(), name, "is " + bytes + " bytes, more than " + limits.maxBytes());
        require(name.chars().noneMatch(c -> limits.forbidden().indexOf(c) >= 0 || Character.isISOControl(c)), name,
                "has a forbidden or control character");
        if (raw.getBytes(StandardCharsets.UTF_8).length < limits.maxBytes()) {
            require(name.equals(raw), name, "should be the unshortened \"" + escape(raw) + "\"");
            if (pair.logical() != null) {
                require(pair.logical().equals(naming.logicalOf(sample.prefix(), pair.tenant(), name)), name,
                        "does not give back its logical name");
            }
        } else {
            require(bytes == limits.maxBytes(), name, "is shortened to " + bytes + " bytes, not exactly the limit");
            require(SHORTENED.matcher(name).matches(), name, "is not a readable head, '-' and the hash");
            require(naming.logicalOf(sample.prefix(), pair.tenant(), name) == null, name,
                    "is shortened but logicalOf reads it");
        }
        for (TenantId other : sample.tenants()) {
            if (!other.equals(pair.tenant())) {
                require(naming.logicalOf(sample.prefix(), other, name) == null, name, "reads as a name of " + other);
            }
        }
    }

    private static void require(boolean holds, String name, String problem) {
        if (!holds) {
            throw new AssertionError("\"" + escape(name) + "\" " + problem);
        }
    }

    static Sample sample(SplittableRandom random, NameLimits limits) {
        String prefix = Gens.string(random, "abcdefghijklmnopqrstuvwxyz0123456789_-", Gens.length(random, 0, 6));
        List<TenantId> tenants = tenants(random);
        List<String> logicals = logicals(random, limits);
        Set<Pair> pairs = new LinkedHashSet<>();
        for (int i = 0; i < 60; i++) {
            TenantId tenant = Gens.pick(random, tenants);
            pairs.add(new Pair(tenant, random.nextInt(6) == 0 ? null : Gens.pick(random, logicals)));
        }
        return new Sample(prefix, tenants, new ArrayList<>(pairs));
    }

    /** A few tenants that resemble each other: shared heads, '-' against '_', and the longest ids. */
    private static List<TenantId> tenants(SplittableRandom random) {
        String base = Gens.validId(random, Gens.length(random, 1, 8));
        Set<String> ids = new LinkedHashSet<>(List.of(base, base + "-x", base + "_x", base + "x"));
        String longest = Gens.validId(random, TenantId.MAX_LENGTH);
        ids.add(longest);
        ids.add(longest.substring(0, 62) + (longest.endsWith("a") ? "b" : "a"));
        ids.add(Gens.validId(random));
        List<TenantId> out = new ArrayList<>();
        ids.stream().filter(TenantId::isValid).forEach(id -> out.add(TenantId.of(id)));
        return out;
    }

    /** Logical names and look-alikes of them, some long enough to need shortening. */
    private static List<String> logicals(SplittableRandom random, NameLimits limits) {
        StringBuilder plain = new StringBuilder();
        for (char c = 0x20; c < 0x7f; c++) {
            boolean upper = c >= 'A' && c <= 'Z';
            if (limits.forbidden().indexOf(c) < 0 && !(upper && limits.caseInsensitive())) {
                plain.append(c);
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int length = random.nextBoolean() ? Gens.length(random, 1, 8) : Gens.length(random, 1, limits.maxBytes() + 8);
            StringBuilder name = new StringBuilder();
            while (name.length() < length) {
                int kind = random.nextInt(10);
                if (kind < 6) {
                    name.append(Gens.pick(random, plain.toString()));
                } else if (kind < 7) {
                    name.append(limits.separator());
                } else if (kind < 8) {
                    name.append(Gens.pick(random, FOLDING));
                } else {
                    name.append(Gens.pick(random, NON_ASCII));
                }
            }
            if (random.nextInt(4) == 0) {
                name.insert(random.nextInt(name.length() + 1), Gens.pick(random, RISKY));
            }
            names.add(name.toString());
            names.add(lookAlike(random, name.toString()));
        }
        return names;
    }

    /** {@code name} with one character swapped for one that folds onto it, or is it in another case. */
    private static String lookAlike(SplittableRandom random, String name) {
        int at = random.nextInt(name.length());
        char c = name.charAt(at);
        int i = FOLDING.indexOf(c);
        char swapped = i >= 0 ? FOLDING.charAt(i ^ 1) : Character.isLowerCase(c) ? Character.toUpperCase(c)
                : Gens.pick(random, FOLDING);
        return name.substring(0, at) + swapped + name.substring(at + 1);
    }

    /** The case folding of {@link String#equalsIgnoreCase}, applied per code point. */
    static String fold(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return out.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : (char) c));
        return Objects.requireNonNull(out.toString());
    }
}
