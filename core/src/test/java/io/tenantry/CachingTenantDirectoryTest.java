package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingTenantDirectoryTest {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GHOST = TenantId.of("ghost");
    static final Duration TTL = Duration.ofMinutes(1);
    static final Duration NEGATIVE_TTL = Duration.ofSeconds(5);

    /** A directory that counts the calls that reach it. */
    static final class CountingDirectory implements TenantDirectory {
        final TenantDirectory delegate = TenantDirectory.inMemory();
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger lists = new AtomicInteger();

        @Override
        public Optional<Tenant> find(TenantId id) {
            finds.incrementAndGet();
            return delegate.find(id);
        }

        @Override
        public List<Tenant> list() {
            lists.incrementAndGet();
            return delegate.list();
        }

        @Override
        public Tenant register(Tenant tenant) {
            return delegate.register(tenant);
        }

        @Override
        public Tenant update(Tenant tenant) {
            return delegate.update(tenant);
        }
    }

    private final CountingDirectory store = new CountingDirectory();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final CachingTenantDirectory cached = TenantDirectory.caching(store).ttl(TTL).negativeTtl(NEGATIVE_TTL)
            .ticker(nanos::get).build();

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void a_cached_tenant_is_served_without_asking_the_store_again() {
        Tenant acme = store.register(Tenant.builder(ACME).build());

        assertThat(cached.find(ACME)).contains(acme);
        assertThat(cached.find(ACME)).contains(acme);
        assertThat(cached.require(ACME)).isEqualTo(acme);

        assertThat(store.finds).hasValue(1);
        assertThat(cached.delegate()).isSameAs(store);
    }

    @Test
    void a_cached_tenant_expires_after_the_ttl_and_a_change_made_elsewhere_shows_then() {
        Tenant acme = store.register(Tenant.builder(ACME).tier("free").build());
        cached.find(ACME);
        Tenant changedElsewhere = store.update(acme.toBuilder().tier("premium").build());

        advance(TTL.minusNanos(1));
        assertThat(cached.find(ACME)).contains(acme);
        assertThat(store.finds).hasValue(1);

        advance(Duration.ofNanos(1));
        assertThat(cached.find(ACME)).contains(changedElsewhere);
        assertThat(store.finds).hasValue(2);
    }

    @Test
    void reading_a_cached_tenant_does_not_extend_its_ttl() {
        store.register(Tenant.builder(ACME).build());
        cached.find(ACME);

        for (int i = 0; i < 10; i++) {
            advance(TTL.dividedBy(10).minusNanos(1));
            cached.find(ACME);
        }
        advance(Duration.ofNanos(10));
        cached.find(ACME);

        assertThat(store.finds).hasValue(2);
    }

    @Test
    void an_unknown_id_is_remembered_as_unknown_for_the_negative_ttl() {
        assertThat(cached.find(GHOST)).isEmpty();
        assertThat(cached.find(GHOST)).isEmpty();
        assertThatThrownBy(() -> cached.require(GHOST)).isInstanceOf(UnknownTenantException.class);
        assertThat(store.finds).hasValue(1);

        store.register(Tenant.builder(GHOST).build());
        advance(NEGATIVE_TTL.minusNanos(1));
        assertThat(cached.find(GHOST)).as("still remembered as unknown").isEmpty();

        advance(Duration.ofNanos(1));
        assertThat(cached.find(GHOST)).isPresent();
        assertThat(store.finds).hasValue(2);
    }

    @Test
    void a_zero_negative_ttl_turns_negative_caching_off() {
        CachingTenantDirectory noNegative = TenantDirectory.caching(store).negativeTtl(Duration.ZERO)
                .ticker(nanos::get).build();

        noNegative.find(GHOST);
        noNegative.find(GHOST);
        noNegative.find(GHOST);

        assertThat(store.finds).hasValue(3);
    }

    @Test
    void invalidate_forgets_one_id_and_invalidate_all_forgets_every_id() {
        Tenant acme = store.register(Tenant.builder(ACME).tier("free").build());
        cached.find(ACME);
        cached.find(GHOST);
        Tenant changedElsewhere = store.update(acme.toBuilder().tier("premium").build());

        cached.invalidate(ACME);
        assertThat(cached.find(ACME)).contains(changedElsewhere);
        assertThat(cached.find(GHOST)).isEmpty();
        assertThat(store.finds).hasValue(3);

        cached.invalidateAll();
        cached.find(ACME);
        cached.find(GHOST);
        assertThat(store.finds).hasValue(5);
    }

    @Test
    void registering_through_the_cache_replaces_a_remembered_unknown() {
        assertThat(cached.find(ACME)).isEmpty();

        Tenant registered = cached.register(Tenant.builder(ACME).build());

        assertThat(cached.find(ACME)).contains(registered);
    }

    @Test
    void updating_through_the_cache_shows_the_new_entry_at_once() {
        Tenant acme = cached.register(Tenant.builder(ACME).tier("free").build());
        cached.find(ACME);

        Tenant updated = cached.update(acme.toBuilder().status(TenantStatus.SUSPENDED).build());

        assertThat(cached.find(ACME)).contains(updated);
        assertThat(cached.require(ACME).status()).isEqualTo(TenantStatus.SUSPENDED);
    }

    @Test
    void a_failed_write_still_drops_the_cached_entry_and_the_failure_reaches_the_caller() {
        Tenant acme = cached.register(Tenant.builder(ACME).tier("free").build());
        cached.find(ACME);
        store.update(acme.toBuilder().tier("premium").build());

        assertThatThrownBy(() -> cached.update(acme.toBuilder().tier("enterprise").build()))
                .isInstanceOf(TenantLifecycleException.class);
        assertThat(cached.require(ACME).tier()).isEqualTo("premium");
    }

    @Test
    void list_is_never_cached() {
        cached.register(Tenant.builder(ACME).build());

        assertThat(cached.list()).hasSize(1);
        cached.register(Tenant.builder("bravo").build());
        assertThat(cached.list()).hasSize(2);

        assertThat(store.lists).hasValue(2);
    }

    @Test
    void at_most_maximum_size_entries_are_kept() {
        CachingTenantDirectory small = TenantDirectory.caching(store).maximumSize(10).ticker(nanos::get).build();
        for (int i = 0; i < 100; i++) {
            store.register(Tenant.builder("t" + i).build());
        }
        for (int i = 0; i < 100; i++) {
            small.find(TenantId.of("t" + i));
        }
        small.cleanUp();
        int before = store.finds.get();

        for (int i = 0; i < 100; i++) {
            small.find(TenantId.of("t" + i));
        }

        assertThat(store.finds.get() - before).as("lookups that had to reach the store again")
                .isGreaterThanOrEqualTo(90);
    }

    @Test
    void the_builder_refuses_meaningless_settings() {
        CachingTenantDirectory.Builder builder = TenantDirectory.caching(store);

        assertThatIllegalArgumentException().isThrownBy(() -> builder.ttl(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.ttl(Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.negativeTtl(Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maximumSize(0));
    }
}
