package io.tenantry.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.NameLimits;
import io.tenantry.PhysicalNaming;
import io.tenantry.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The naming contract: a {@link PhysicalNaming} under a prefix never gives two tenants, or two
 * resources of tenants, the same physical name (compared as the store compares names), and every
 * name it gives fits the store's {@link NameLimits}. Run it for each naming your stack configures:
 *
 * <pre>{@code
 * class CardDatabaseNamingTest extends NamingContract {
 *     @Override
 *     protected PhysicalNaming naming() {
 *         return PhysicalNaming.of(NameLimits.MONGODB_DATABASE);
 *     }
 *
 *     @Override
 *     protected String prefix() {
 *         return "cv_";
 *     }
 * }
 * }</pre>
 *
 * <p>Generated tenant ids and logical names include near neighbours ({@code acme} and
 * {@code acme-1}, {@code a_b} and {@code a-b}), names containing the separator, non-ASCII names
 * and names long enough to be shortened. Each property runs {@link #tries()} batches of names.
 */
public abstract class NamingContract {

    private static final String TENANT_CHARS = "ab1-_";
    private static final String LOGICAL_CHARS = "abc19_-.~/$ \u00e9\u65e5";
    private static final int BATCH = 48;

    /** Returns the naming under test. May be called several times; must give equal names every time. */
    protected abstract PhysicalNaming naming();

    /** Returns the prefix the stack passes to {@link PhysicalNaming}, possibly empty. */
    protected abstract String prefix();

    /** Returns how many batches each property checks: 200 unless the system property {@code tenantry.tck.tries} says otherwise. */
    protected int tries() {
        return Trials.defaultTries();
    }

    /** A tenant's own name (no logical name) or the name of one of its resources. */
    record Resource(TenantId tenant, @Nullable String logical) {
        @Override
        public String toString() {
            return logical == null ? tenant.value() : tenant.value() + " / \"" + logical + "\"";
        }
    }

    @Test
    @DisplayName("two different tenants never get the same name")
    void distinctTenantsGetDistinctNames() {
        Trials.forAllLists("two different tenants never get the same name", tries(),
                random -> batch(random, false), this::checkInjective);
    }

    @Test
    @DisplayName("two different resources, of one tenant or of two, never get the same name")
    void distinctResourcesGetDistinctNames() {
        Trials.forAllLists("two different resources never get the same name", tries(),
                random -> batch(random, true), this::checkInjective);
    }

    void checkInjective(List<Resource> resources) {
        PhysicalNaming naming = naming();
        Map<String, Resource> owners = new HashMap<>();
        for (Resource resource : new LinkedHashSet<>(resources)) {
            String name = nameOf(naming, resource);
            Resource owner = owners.putIfAbsent(compared(naming.limits(), name), resource);
            assertThat(owner).as("owner of the name \"%s\" given to %s", name, resource).isIn(null, resource);
        }
    }

    @Test
    @DisplayName("every name fits the store's limits")
    void namesFitTheStoreLimits() {
        Trials.forAllLists("every name fits the store's limits", tries(), random -> batch(random, true),
                this::checkLimits);
    }

    void checkLimits(List<Resource> resources) {
        PhysicalNaming naming = naming();
        NameLimits limits = naming.limits();
        for (Resource resource : resources) {
            String name = nameOf(naming, resource);
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).as("UTF-8 length of \"%s\", the name of %s under"
                    + " %s", name, resource, limits).isBetween(1, limits.maxBytes());
            for (char c : name.toCharArray()) {
                assertThat(limits.forbidden().indexOf(c) < 0 && !Character.isISOControl(c))
                        .as("\"%s\", the name of %s, has the forbidden character U+%04X", name, resource, (int) c)
                        .isTrue();
            }
            if (limits.caseInsensitive()) {
                assertThat(name).as("name of %s in a store that ignores case", resource)
                        .isEqualTo(name.toLowerCase(Locale.ROOT));
            }
            assertThat(nameOf(naming(), resource)).as("name of %s asked again", resource).isEqualTo(name);
        }
    }

    @Test
    @DisplayName("a tenant recognises its own unshortened resource names, and never another tenant's")
    void tenantsRecogniseOnlyTheirOwnNames() {
        Trials.forAllLists("a tenant recognises only its own names", tries(), random -> batch(random, true),
                this::checkRecognition);
    }

    void checkRecognition(List<Resource> resources) {
        PhysicalNaming naming = naming();
        String prefix = prefix();
        for (Resource resource : resources) {
            if (resource.logical() == null) {
                continue;
            }
            String name = nameOf(naming, resource);
            boolean shortened = name.getBytes(StandardCharsets.UTF_8).length >= naming.limits().maxBytes();
            assertThat(naming.logicalOf(prefix, resource.tenant(), name)).as("logical name read back from \"%s\"", name)
                    .isEqualTo(shortened ? null : resource.logical());
            for (Resource other : resources) {
                if (!other.tenant().equals(resource.tenant())) {
                    assertThat(naming.logicalOf(prefix, other.tenant(), name))
                            .as("tenant %s reading \"%s\", the name of %s", other.tenant(), name, resource).isNull();
                }
            }
        }
    }

    private String nameOf(PhysicalNaming naming, Resource resource) {
        String logical = resource.logical();
        return logical == null ? naming.name(prefix(), resource.tenant()) : naming.name(prefix(), resource.tenant(), logical);
    }

    private static String compared(NameLimits limits, String name) {
        return limits.caseInsensitive() ? name.toLowerCase(Locale.ROOT) : name;
    }

    /** Random resources, each followed by a few near neighbours; with {@code logical}, most have logical names. */
    private List<Resource> batch(SplittableRandom random, boolean logical) {
        NameLimits limits = naming().limits();
        List<Resource> batch = new ArrayList<>();
        while (batch.size() < BATCH) {
            TenantId tenant = tenant(random);
            String name = logical && random.nextInt(5) > 0 ? logicalName(random, limits) : null;
            batch.add(new Resource(tenant, name));
            for (int i = random.nextInt(3); i > 0; i--) {
                batch.add(new Resource(neighbour(random, tenant),
                        name == null || random.nextBoolean() ? name : neighbour(random, name, limits)));
            }
        }
        return batch;
    }

    private static TenantId tenant(SplittableRandom random) {
        while (true) {
            int length = random.nextInt(4) == 0 ? 40 + random.nextInt(TenantId.MAX_LENGTH - 39) : 1 + random.nextInt(4);
            String id = Interleavings.text(random, TENANT_CHARS, length, length);
            if (TenantId.isValid(id)) {
                return TenantId.of(id);
            }
        }
    }

    /** Returns an id one edit away from {@code tenant}: appended, cut, or with '-' and '_' swapped. */
    private static TenantId neighbour(SplittableRandom random, TenantId tenant) {
        String id = tenant.value();
        for (int attempt = 0; attempt < 8; attempt++) {
            String candidate;
            switch (random.nextInt(4)) {
                case 0:
                    candidate = id + (random.nextBoolean() ? "1" : random.nextBoolean() ? "-1" : "_1");
                    break;
                case 1:
                    candidate = id.substring(0, Math.max(1, id.length() - 1));
                    break;
                case 2:
                    candidate = id.indexOf('-') >= 0 ? id.replace('-', '_') : id.replace('_', '-');
                    break;
                default:
                    candidate = "a" + id;
                    break;
            }
            if (TenantId.isValid(candidate)) {
                return TenantId.of(candidate);
            }
        }
        return tenant;
    }

    private static String logicalName(SplittableRandom random, NameLimits limits) {
        String alphabet = allowed(LOGICAL_CHARS + limits.separator(), limits);
        int length = random.nextInt(6) == 0 ? limits.maxBytes() / 2 + random.nextInt(limits.maxBytes()) : 1 + random.nextInt(12);
        return Interleavings.text(random, alphabet, length, length);
    }

    private static String neighbour(SplittableRandom random, String logical, NameLimits limits) {
        switch (random.nextInt(3)) {
            case 0:
                return logical + allowed("a" + limits.separator(), limits).charAt(random.nextInt(2));
            case 1:
                return logical.length() > 1 ? logical.substring(0, logical.length() - 1) : logical + "a";
            default:
                return limits.separator() + logical;
        }
    }

    private static String allowed(String chars, NameLimits limits) {
        StringBuilder out = new StringBuilder();
        for (char c : chars.toCharArray()) {
            if (limits.forbidden().indexOf(c) < 0 && out.indexOf(String.valueOf(c)) < 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
