package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every public method of every driver iterable that Tenantry hands out is classified in
 * {@link ScopedIterables#KINDS}, so a method added by a new driver is refused until someone decides
 * how to scope it, instead of passing through.
 */
class IterableTableTest {

    private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString", "getClass", "notify",
            "notifyAll", "wait");

    @Test
    void everyMethodOfEveryIterableIsClassified() {
        for (Map.Entry<Class<?>, Map<String, ScopedIterables.Kind>> entry : ScopedIterables.KINDS.entrySet()) {
            Set<String> missing = new TreeSet<>();
            for (Method method : entry.getKey().getMethods()) {
                if (!Modifier.isStatic(method.getModifiers()) && !OBJECT_METHODS.contains(method.getName())
                        && !entry.getValue().containsKey(method.getName())) {
                    missing.add(method.getName());
                }
            }
            assertThat(missing).as("unclassified methods of %s", entry.getKey().getSimpleName()).isEmpty();
        }
    }

    @Test
    void executingMethodsAreCheckedAgainstTheBoundTenant() {
        for (Map<String, ScopedIterables.Kind> kinds : ScopedIterables.KINDS.values()) {
            assertThat(kinds).containsEntry("iterator", ScopedIterables.Kind.EXECUTE)
                    .containsEntry("first", ScopedIterables.Kind.EXECUTE)
                    .containsEntry("into", ScopedIterables.Kind.EXECUTE)
                    .containsEntry("cursor", ScopedIterables.Kind.EXECUTE)
                    .containsEntry("forEach", ScopedIterables.Kind.EXECUTE);
        }
    }
}
