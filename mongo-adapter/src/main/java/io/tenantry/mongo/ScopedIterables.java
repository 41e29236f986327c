package io.tenantry.mongo;

import com.mongodb.client.AggregateIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.DistinctIterable;
import com.mongodb.client.FindIterable;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.ListIndexesIterable;
import com.mongodb.client.ListSearchIndexesIterable;
import com.mongodb.client.MongoIterable;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * Binds the driver's result iterables ({@code FindIterable}, {@code AggregateIterable}, ...) to the
 * tenant they were created for.
 *
 * <p>An iterable is lazy: it is created in one place and executed later, maybe elsewhere. Every
 * method of every iterable type is classified in {@link #KINDS}: fluent option setters pass
 * through, {@code filter(...)} is rewritten by the model, and executing methods ({@code iterator},
 * {@code first}, {@code into}, ...) first check that the same tenant is still bound, so an iterable
 * kept across requests can never serve one tenant's data to another. A method missing from the
 * table is refused, never passed through; a reflection test keeps the table complete.
 */
final class ScopedIterables {

    /** What a method of an iterable does, and so how it is scoped. */
    enum Kind {
        /** Sets an option and returns the iterable itself: passes through. */
        FLUENT,
        /** Replaces the filter: rewritten by the model's filter operator. */
        FILTER,
        /** Runs the operation: the tenant must still be bound. */
        EXECUTE,
        /** Returns a derived iterable ({@code map}, {@code withDocumentClass}): bound in turn. */
        DERIVE,
        /** Sets a sort or projection: its keys rewritten by the model's key operator, if any. */
        KEYS,
        /** Asks the server for a plan: allowed only where the model says statistics reveal nothing shared. */
        EXPLAIN
    }

    private static final Set<String> COMMON_FLUENT = Set.of("batchSize", "comment", "maxTime", "timeoutMode",
            "collation", "allowDiskUse", "hint", "hintString", "let", "maxAwaitTime");

    /** Every method name of every supported iterable interface, by interface. */
    static final Map<Class<?>, Map<String, Kind>> KINDS = Map.of(
            MongoIterable.class, table(Set.of()),
            FindIterable.class, table(Set.of("cursorType", "limit", "max", "min", "noCursorTimeout", "partial",
                    "returnKey", "showRecordId", "skip"), "filter", Kind.FILTER, "explain", Kind.EXPLAIN,
                    "sort", Kind.KEYS, "projection", Kind.KEYS),
            AggregateIterable.class, table(Set.of("bypassDocumentValidation"), "toCollection", Kind.EXECUTE,
                    "explain", Kind.EXPLAIN),
            ChangeStreamIterable.class, table(Set.of("fullDocument", "fullDocumentBeforeChange", "resumeAfter",
                    "showExpandedEvents", "startAfter", "startAtOperationTime"), "withDocumentClass", Kind.DERIVE),
            DistinctIterable.class, table(Set.of(), "filter", Kind.FILTER),
            ListIndexesIterable.class, table(Set.of()),
            ListCollectionsIterable.class, table(Set.of(), "filter", Kind.FILTER),
            ListCollectionNamesIterable.class, table(Set.of("authorizedCollections"), "filter", Kind.FILTER),
            ListSearchIndexesIterable.class, table(Set.of("name"), "explain", Kind.EXPLAIN));

    /** The proxy constructor of each interface of {@link #KINDS}, looked up once: binding happens on every call. */
    private static final Map<Class<?>, Constructor<?>> PROXIES = proxies(false);

    /** The same for iterables that also translate connectivity failures: their proxies implement {@link Translating}. */
    private static final Map<Class<?>, Constructor<?>> TRANSLATING_PROXIES = proxies(true);

    /** The classes of the proxies that do not translate, to tell an iterable bound here from any other quickly. */
    private static final Set<Class<?>> PROXY_CLASSES = proxyClasses();

    private ScopedIterables() {
    }

    /**
     * Marks the proxy of a bound iterable that turns connectivity failures into
     * {@link io.tenantry.StoreUnavailableException} itself, so that {@link StoreFailures#wrap} can
     * pass it through with a type check. It has no methods.
     */
    interface Translating {
    }

    private static Map<Class<?>, Constructor<?>> proxies(boolean translating) {
        Map<Class<?>, Constructor<?>> proxies = new HashMap<>();
        for (Class<?> type : KINDS.keySet()) {
            proxies.put(type, translating ? ProxyConstructors.of(type, Translating.class) : ProxyConstructors.of(type));
        }
        return Map.copyOf(proxies);
    }

    private static Set<Class<?>> proxyClasses() {
        Set<Class<?>> classes = new java.util.HashSet<>();
        for (Constructor<?> constructor : PROXIES.values()) {
            classes.add(constructor.getDeclaringClass());
        }
        return Set.copyOf(classes);
    }

    private static Map<String, Kind> table(Set<String> fluent, Object... special) {
        Map<String, Kind> kinds = new HashMap<>();
        for (String name : Set.of("iterator", "cursor", "first", "into", "forEach", "spliterator")) {
            kinds.put(name, Kind.EXECUTE);
        }
        kinds.put("map", Kind.DERIVE);
        COMMON_FLUENT.forEach(name -> kinds.put(name, Kind.FLUENT));
        fluent.forEach(name -> kinds.put(name, Kind.FLUENT));
        for (int i = 0; i < special.length; i += 2) {
            kinds.put((String) special[i], (Kind) special[i + 1]);
        }
        return Map.copyOf(kinds);
    }

    /**
     * How a model scopes the iterables it hands out.
     *
     * @param tenant the tenant the iterable belongs to
     * @param filter rewrites a filter given later through {@code filter(...)}; null passes it through
     * @param explainAllowed whether {@code explain} may run (not on shared collections)
     * @param refused method names the model refuses, with the reason as the value
     * @param keys rewrites a sort or projection given later; null passes it through
     */
    static final class Policy {
        final TenantId tenant;
        final @Nullable UnaryOperator<Bson> filter;
        final boolean explainAllowed;
        final Map<String, String> refused;
        final @Nullable UnaryOperator<Bson> keys;

        Policy(TenantId tenant, @Nullable UnaryOperator<Bson> filter, boolean explainAllowed,
                Map<String, String> refused) {
            this(tenant, filter, explainAllowed, refused, null);
        }

        Policy(TenantId tenant, @Nullable UnaryOperator<Bson> filter, boolean explainAllowed,
                Map<String, String> refused, @Nullable UnaryOperator<Bson> keys) {
            this.tenant = tenant;
            this.filter = filter;
            this.explainAllowed = explainAllowed;
            this.refused = Map.copyOf(refused);
            this.keys = keys;
        }

        /** A policy for a tenant's own collection or database: no rewriting, explain allowed. */
        static Policy owned(TenantId tenant) {
            return new Policy(tenant, null, true, Map.of());
        }
    }

    /**
     * Returns {@code delegate} bound to {@code policy}.
     *
     * @param type the iterable interface, a key of {@link #KINDS}
     */
    static <I> I bind(Class<I> type, I delegate, Policy policy) {
        return bind(type, delegate, policy, null);
    }

    /**
     * Returns {@code delegate} bound to {@code policy}, turning connectivity failures into
     * {@link io.tenantry.StoreUnavailableException}s that name {@code store} (see {@link StoreFailures})
     * when {@code store} is not null.
     *
     * @param type the iterable interface, a key of {@link #KINDS}
     */
    static <I> I bind(Class<I> type, I delegate, Policy policy, @Nullable String store) {
        Map<String, Kind> kinds = KINDS.get(type);
        if (kinds == null) {
            throw new IllegalArgumentException("No scoping table for " + type.getName());
        }
        Object proxy = ProxyConstructors.instantiate((store == null ? PROXIES : TRANSLATING_PROXIES).get(type),
                new Handler(type, delegate, kinds, policy, store == null ? null : new Failures(store, policy.tenant)));
        return type.cast(proxy);
    }

    /**
     * Returns {@code iterable} bound again so that it also turns connectivity failures into
     * {@link io.tenantry.StoreUnavailableException}s (see {@link StoreFailures}), if it is an iterable
     * bound here that does not yet; null if it is not bound here. One proxy doing both costs a call
     * one reflective dispatch, where a translating proxy around the bound one cost two.
     */
    static @Nullable Object translating(Object iterable, String store, TenantId tenant) {
        if (iterable instanceof Translating) {
            return iterable;
        }
        if (!PROXY_CLASSES.contains(iterable.getClass())
                || !(Proxy.getInvocationHandler(iterable) instanceof Handler handler)) {
            return null;
        }
        return ProxyConstructors.instantiate(TRANSLATING_PROXIES.get(handler.type),
                new Handler(handler.type, handler.delegate, handler.kinds, handler.policy, new Failures(store, tenant)));
    }

    /** Throws unless {@code tenant} is the tenant bound to the calling thread; names {@code type} if not. */
    static void requireBound(TenantId tenant, Class<?> type) {
        Optional<TenantId> bound = TenantContext.find();
        if (bound.isEmpty() || !bound.get().equals(tenant)) {
            requireBound(tenant, type.getSimpleName());
        }
    }

    /** The store and tenant named when a bound iterable cannot reach its server. */
    private static final class Failures {
        final String store;
        final TenantId tenant;

        Failures(String store, TenantId tenant) {
            this.store = store;
            this.tenant = tenant;
        }
    }

    /** Throws unless {@code tenant} is the tenant bound to the calling thread. */
    static void requireBound(TenantId tenant, String what) {
        Optional<TenantId> bound = TenantContext.find();
        if (bound.isEmpty() || !bound.get().equals(tenant)) {
            throw new IsolationViolationException("This " + what + " was created for tenant \"" + tenant
                    + "\" but is used " + (bound.isEmpty() ? "with no tenant bound" : "by tenant \"" + bound.get() + "\"")
                    + "; create it again inside the tenant's scope instead of keeping it.");
        }
    }

    private static final class Handler implements InvocationHandler {
        private final Class<?> type;
        private final Object delegate;
        private final Map<String, Kind> kinds;
        private final Policy policy;
        private final @Nullable Failures failures;

        Handler(Class<?> type, Object delegate, Map<String, Kind> kinds, Policy policy, @Nullable Failures failures) {
            this.type = type;
            this.delegate = delegate;
            this.kinds = kinds;
            this.policy = policy;
            this.failures = failures;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            if (failures == null) {
                return dispatch(proxy, method, args);
            }
            Object result;
            try {
                result = dispatch(proxy, method, args);
            } catch (RuntimeException e) {
                throw StoreFailures.translate(e, failures.store, failures.tenant);
            }
            return result == proxy ? proxy : StoreFailures.wrap(result, failures.store, failures.tenant);
        }

        private @Nullable Object dispatch(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                switch (name) {
                    case "equals":
                        return args != null && proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return type.getSimpleName() + " of tenant " + policy.tenant;
                }
            }
            String refusal = policy.refused.get(name);
            if (refusal != null) {
                throw new IsolationViolationException(refusal);
            }
            Kind kind = kinds.get(name);
            if (kind == null) {
                throw new IsolationViolationException(type.getSimpleName() + "." + name + " is not supported by"
                        + " Tenantry, which refuses methods it cannot confine to one tenant.");
            }
            switch (kind) {
                case FLUENT:
                    call(method, args);
                    return proxy;
                case FILTER:
                    Object[] rewritten = args.clone();
                    if (policy.filter != null) {
                        rewritten[0] = policy.filter.apply((Bson) args[0]);
                    }
                    call(method, rewritten);
                    return proxy;
                case KEYS:
                    Object[] keys = args.clone();
                    if (policy.keys != null && keys[0] != null) {
                        keys[0] = policy.keys.apply((Bson) keys[0]);
                    }
                    call(method, keys);
                    return proxy;
                case EXPLAIN:
                    if (!policy.explainAllowed) {
                        throw new IsolationViolationException("explain() is refused on a collection shared by tenants:"
                                + " its statistics describe every tenant's documents.");
                    }
                    requireBound(policy.tenant, type);
                    return call(method, args);
                case DERIVE:
                    return ScopedIterables.bind(MongoIterable.class, (MongoIterable<?>) call(method, args), policy,
                            failures == null ? null : failures.store);
                default:
                    requireBound(policy.tenant, type);
                    return call(method, args);
            }
        }

        private @Nullable Object call(Method method, Object @Nullable [] args) throws Throwable {
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
