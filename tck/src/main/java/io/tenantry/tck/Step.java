package io.tenantry.tck;

import io.tenantry.TenantId;
import java.util.NavigableMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One operation of one tenant on a {@link TenantScopedStore}. A step can run against the store
 * ({@link #perform}) and against the model of its tenant's entries ({@link #expect}); the two
 * results must be equal. Write and clear return null from both.
 */
sealed interface Step permits Step.Write, Step.Read, Step.Query, Step.Count, Step.Delete, Step.Clear {

    /** The tenant the step runs for. */
    TenantId tenant();

    /** Runs the step against {@code store}, for whatever tenant is bound at the time. */
    @Nullable Object perform(TenantScopedStore store);

    /** Applies the step to its tenant's model entries and returns what the store must return. */
    @Nullable Object expect(NavigableMap<String, String> entries);

    record Write(TenantId tenant, String key, String value) implements Step {
        @Override
        public @Nullable Object perform(TenantScopedStore store) {
            store.write(key, value);
            return null;
        }

        @Override
        public @Nullable Object expect(NavigableMap<String, String> entries) {
            entries.put(key, value);
            return null;
        }

        @Override
        public String toString() {
            return tenant + ": write(\"" + key + "\", \"" + value + "\")";
        }
    }

    record Read(TenantId tenant, String key) implements Step {
        @Override
        public Object perform(TenantScopedStore store) {
            return store.read(key);
        }

        @Override
        public Object expect(NavigableMap<String, String> entries) {
            return Optional.ofNullable(entries.get(key));
        }

        @Override
        public String toString() {
            return tenant + ": read(\"" + key + "\")";
        }
    }

    record Query(TenantId tenant, String valuePrefix) implements Step {
        @Override
        public Object perform(TenantScopedStore store) {
            return store.query(valuePrefix);
        }

        @Override
        public Object expect(NavigableMap<String, String> entries) {
            return entries.values().stream().filter(v -> v.startsWith(valuePrefix)).sorted().toList();
        }

        @Override
        public String toString() {
            return tenant + ": query(\"" + valuePrefix + "\")";
        }
    }

    record Count(TenantId tenant) implements Step {
        @Override
        public Object perform(TenantScopedStore store) {
            return store.count();
        }

        @Override
        public Object expect(NavigableMap<String, String> entries) {
            return (long) entries.size();
        }

        @Override
        public String toString() {
            return tenant + ": count()";
        }
    }

    record Delete(TenantId tenant, String key) implements Step {
        @Override
        public Object perform(TenantScopedStore store) {
            return store.delete(key);
        }

        @Override
        public Object expect(NavigableMap<String, String> entries) {
            return entries.remove(key) != null;
        }

        @Override
        public String toString() {
            return tenant + ": delete(\"" + key + "\")";
        }
    }

    record Clear(TenantId tenant) implements Step {
        @Override
        public @Nullable Object perform(TenantScopedStore store) {
            store.clear();
            return null;
        }

        @Override
        public @Nullable Object expect(NavigableMap<String, String> entries) {
            entries.clear();
            return null;
        }

        @Override
        public String toString() {
            return tenant + ": clear()";
        }
    }
}
