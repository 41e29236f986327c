package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTenantDirectoryTest {

    private final TenantDirectory directory = TenantDirectory.inMemory();

    @Test
    void a_registered_tenant_is_stored_with_version_one_and_found_by_id() {
        Instant before = Instant.now();

        Tenant stored = directory.register(Tenant.builder("acme").tier("enterprise").build());

        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.tier()).isEqualTo("enterprise");
        assertThat(stored.createdAt()).isAfterOrEqualTo(before).isEqualTo(stored.updatedAt());
        assertThat(directory.find(TenantId.of("acme"))).contains(stored);
        assertThat(directory.require(TenantId.of("acme"))).isEqualTo(stored);
    }

    @Test
    void an_unknown_id_is_not_found_and_require_names_it() {
        assertThat(directory.find(TenantId.of("nobody"))).isEmpty();
        assertThatThrownBy(() -> directory.require(TenantId.of("nobody")))
                .isInstanceOfSatisfying(UnknownTenantException.class,
                        e -> assertThat(e.tenantId()).isEqualTo(TenantId.of("nobody")))
                .hasMessageContaining("\"nobody\"");
    }

    @Test
    void registering_an_id_twice_is_refused_and_keeps_the_first_entry() {
        Tenant first = directory.register(Tenant.builder("acme").tier("free").build());

        assertThatThrownBy(() -> directory.register(Tenant.builder("acme").tier("enterprise").build()))
                .isInstanceOf(TenantLifecycleException.class).hasMessageContaining("already registered");
        assertThat(directory.require(TenantId.of("acme"))).isEqualTo(first);
        assertThatThrownBy(() -> TenantDirectory.inMemory(Tenant.builder("a").build(), Tenant.builder("a").build()))
                .isInstanceOf(TenantLifecycleException.class);
    }

    @Test
    void an_update_carrying_the_stored_version_is_stored_with_the_next_version() {
        Tenant stored = directory.register(Tenant.builder("acme").tier("free").build());

        Tenant updated = directory.update(stored.toBuilder().tier("premium").status(TenantStatus.READ_ONLY).build());

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.tier()).isEqualTo("premium");
        assertThat(updated.status()).isEqualTo(TenantStatus.READ_ONLY);
        assertThat(updated.createdAt()).isEqualTo(stored.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(stored.updatedAt());
        assertThat(directory.require(TenantId.of("acme"))).isEqualTo(updated);
    }

    @Test
    void an_update_from_a_stale_read_is_refused_and_changes_nothing() {
        Tenant read = directory.register(Tenant.builder("acme").tier("free").build());
        Tenant winner = directory.update(read.toBuilder().tier("premium").build());

        assertThatThrownBy(() -> directory.update(read.toBuilder().tier("enterprise").build()))
                .isInstanceOf(TenantLifecycleException.class)
                .hasMessageContaining("stored version 2, given 1");
        assertThat(directory.require(TenantId.of("acme"))).isEqualTo(winner);
    }

    @Test
    void updating_an_unknown_tenant_is_refused() {
        assertThatThrownBy(() -> directory.update(Tenant.builder("ghost").version(1).build()))
                .isInstanceOf(UnknownTenantException.class);
        assertThat(directory.list()).isEmpty();
    }

    @Test
    void of_concurrent_writers_that_read_the_same_version_exactly_one_wins() throws Exception {
        Tenant read = directory.register(Tenant.builder("acme").build());
        int writers = 8;
        CyclicBarrier together = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String tier = "tier-" + i;
                outcomes.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    try {
                        directory.update(read.toBuilder().tier(tier).build());
                        return true;
                    } catch (TenantLifecycleException lost) {
                        return false;
                    }
                }));
            }
            int wins = 0;
            for (Future<Boolean> outcome : outcomes) {
                wins += outcome.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(directory.require(TenantId.of("acme")).version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void list_returns_every_tenant_deleted_ones_included_ordered_by_id_as_an_unmodifiable_snapshot() {
        directory.register(Tenant.builder("charlie").build());
        directory.register(Tenant.builder("alpha").status(TenantStatus.DELETED).build());
        directory.register(Tenant.builder("bravo").status(TenantStatus.SUSPENDED).build());

        List<Tenant> listed = directory.list();
        directory.register(Tenant.builder("delta").build());

        assertThat(listed).extracting(tenant -> tenant.id().value()).containsExactly("alpha", "bravo", "charlie");
        assertThatThrownBy(() -> listed.add(Tenant.builder("x").build()))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
