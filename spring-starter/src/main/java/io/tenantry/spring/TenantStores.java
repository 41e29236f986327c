package io.tenantry.spring;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stores one adapter serves (MongoDB clusters; JDBC data sources once that adapter is wired),
 * published as a bean so that routing rules naming a store that no adapter knows are reported at
 * start-up instead of failing the first request. Immutable.
 */
public final class TenantStores {

    private final String kind;
    private final Set<String> names;
    private final String propertyPrefix;

    private TenantStores(String kind, Set<String> names, String propertyPrefix) {
        this.kind = kind;
        this.names = names;
        this.propertyPrefix = propertyPrefix;
    }

    /**
     * Describes an adapter's stores.
     *
     * @param kind what a store is, for messages ({@code "MongoDB cluster"})
     * @param names the configured store names
     * @param propertyPrefix the property that declares one more, for messages ({@code "tenantry.mongodb.clusters."})
     */
    public static TenantStores of(String kind, Collection<String> names, String propertyPrefix) {
        return new TenantStores(Objects.requireNonNull(kind, "kind"), Set.copyOf(new TreeSet<>(names)),
                Objects.requireNonNull(propertyPrefix, "propertyPrefix"));
    }

    public String kind() {
        return kind;
    }

    public Set<String> names() {
        return names;
    }

    public String propertyPrefix() {
        return propertyPrefix;
    }

    @Override
    public String toString() {
        return kind + "s " + new TreeSet<>(names);
    }
}
