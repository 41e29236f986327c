package io.tenantry.mongo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.TenantContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The handles an application keeps: a {@code MongoCollection}/{@code MongoDatabase} whose every
 * call is routed to the scoped handle of the tenant bound at that moment.
 *
 * <p>Routing is generic (a dynamic proxy): each call resolves the {@link Routing.Target}, takes the
 * tenant's scoped handle from a bounded per-handle cache, and invokes the same method on it. The
 * scoped handles (one class per model) are where confinement happens, and where every driver
 * method is either scoped or refused. Option-setting methods ({@code withReadPreference}, ...)
 * return a new routing handle that applies the option to every scoped handle. Getters that need no
 * tenant ({@code getCodecRegistry}, ...) answer from the first cluster when no tenant is bound.
 */
final class RoutingHandles {

    /** Collection methods that change data or schema: refused for read-only tenants. */
    static final Set<String> COLLECTION_WRITES = Set.of("insertOne", "insertMany", "updateOne", "updateMany",
            "replaceOne", "deleteOne", "deleteMany", "findOneAndDelete", "findOneAndReplace", "findOneAndUpdate",
            "bulkWrite", "drop", "createIndex", "createIndexes", "dropIndex", "dropIndexes", "renameCollection",
            "createSearchIndex", "createSearchIndexes", "updateSearchIndex", "dropSearchIndex", "mapReduce");

    /** Database methods that change data or schema; {@code runCommand} is judged by its command. */
    static final Set<String> DATABASE_WRITES = Set.of("createCollection", "createView", "drop");

    /**
     * Commands that only read, so that a read-only tenant may still run them; every other command
     * counts as a write. {@code aggregate} reads unless its pipeline ends in {@code $out}/{@code $merge}.
     */
    static final Set<String> READ_COMMANDS = Set.of("ping", "buildinfo", "hello", "ismaster", "find", "count",
            "distinct", "aggregate", "listcollections", "listindexes", "collstats", "dbstats");

    /** Methods answered without a tenant when none is bound. */
    private static final Set<String> TENANT_FREE_GETTERS = Set.of("getCodecRegistry", "getReadPreference",
            "getWriteConcern", "getReadConcern", "getTimeout");

    /** One scoped-handle lookup in this many is recorded for the cache's eviction policy; a power of two. */
    private static final int RECORDED_READS = 64;

    private static final Set<String> WITHERS = Set.of("withCodecRegistry", "withReadPreference", "withWriteConcern",
            "withReadConcern", "withTimeout");

    private RoutingHandles() {
    }

    /** Returns a routing collection of logical collection {@code logical}. */
    static <T> MongoCollection<T> collection(Routing routing, String logical, Class<T> documentClass,
            int cacheSize) {
        return collection(routing, logical, documentClass, List.of(), cacheSize);
    }

    @SuppressWarnings("unchecked")
    private static <T> MongoCollection<T> collection(Routing routing, String logical, Class<T> documentClass,
            List<Option> options, int cacheSize) {
        CollectionHandler handler = new CollectionHandler(routing, logical, documentClass, options, cacheSize);
        return (MongoCollection<T>) Proxy.newProxyInstance(RoutingHandles.class.getClassLoader(),
                new Class<?>[] {MongoCollection.class}, handler);
    }

    /** Returns a routing database. */
    static MongoDatabase database(Routing routing, int cacheSize) {
        return database(routing, List.of(), cacheSize);
    }

    private static MongoDatabase database(Routing routing, List<Option> options, int cacheSize) {
        return (MongoDatabase) Proxy.newProxyInstance(RoutingHandles.class.getClassLoader(),
                new Class<?>[] {MongoDatabase.class}, new DatabaseHandler(routing, options, cacheSize));
    }

    /** Whether an aggregation pipeline writes ($out or $merge). */
    static boolean writesOut(@Nullable Object pipeline) {
        if (!(pipeline instanceof List)) {
            return false;
        }
        for (Object stage : (List<?>) pipeline) {
            if (stage instanceof Bson) {
                BsonDocument doc = ((Bson) stage).toBsonDocument();
                if (doc.containsKey("$out") || doc.containsKey("$merge")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static @Nullable Object firstList(Object @Nullable [] args) {
        if (args != null) {
            for (Object arg : args) {
                if (arg instanceof List) {
                    return arg;
                }
            }
        }
        return null;
    }

    private static List<Option> plus(List<Option> options, Method method, Object @Nullable [] args) {
        List<Option> more = new ArrayList<>(options);
        more.add(new Option(method.getName(), method.getParameterTypes(), args == null ? new Object[0] : args.clone()));
        return List.copyOf(more);
    }

    /**
     * A recorded option-setting call ({@code withReadPreference(secondary)}), replayed on every scoped
     * handle. Recorded by name and signature, so that a database's options replay on its collections
     * through the same-named collection method.
     */
    private static final class Option {
        final String name;
        final Class<?>[] types;
        final Object[] args;

        Option(String name, Class<?>[] types, Object[] args) {
            this.name = name;
            this.types = types;
            this.args = args;
        }

        Object applyTo(Object handle, Class<?> type) {
            try {
                return type.getMethod(name, types).invoke(handle, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot replay " + name + " on " + type.getSimpleName(), e);
            }
        }
    }

    /** Calls {@code method} on {@code target}, throwing what the method threw. */
    static @Nullable Object call(Method method, Object target, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object apply(Object handle, List<Option> options, Class<?> type) {
        Object result = handle;
        for (Option option : options) {
            result = option.applyTo(result, type);
        }
        return result;
    }

    private abstract static class RoutingHandler implements InvocationHandler {
        final Routing routing;
        final List<Option> options;
        final int cacheSize;
        /** Scoped handles by tenant and placement. */
        private final Cache<Routing.Target, Object> scoped;
        private final Policy<Routing.Target, Object> scopedPolicy;

        RoutingHandler(Routing routing, List<Option> options, int cacheSize) {
            this.routing = routing;
            this.options = options;
            this.cacheSize = cacheSize;
            // Maintenance runs on the calling thread: handing it to ForkJoinPool.commonPool() woke a
            // worker thread every few calls, which cost a call more than the maintenance itself.
            this.scoped = Caffeine.newBuilder().executor(Runnable::run).maximumSize(cacheSize).build();
            this.scopedPolicy = scoped.policy();
        }

        abstract Object create(Routing.Target target);

        /**
         * Returns the scoped handle of {@code target}, made on first use. As in
         * {@link io.tenantry.CachingTenantDirectory}, only about one lookup in 64 is recorded for the
         * eviction policy: once the cache is half full, recording every one makes Caffeine drain its
         * read buffer (with the policy's upkeep) every 16 calls, on the calling thread.
         */
        private Object handle(Routing.Target target) {
            if ((ThreadLocalRandom.current().nextInt() & (RECORDED_READS - 1)) != 0) {
                Object handle = scopedPolicy.getIfPresentQuietly(target);
                if (handle != null) {
                    return handle;
                }
            }
            return scoped.get(target, key -> apply(create(key), options, type()));
        }

        abstract Object prototype();

        abstract boolean isWrite(Method method, Object @Nullable [] args);

        abstract Object withOptions(List<Option> more);

        abstract String describe();

        abstract Class<?> type();

        @Nullable Object special(Object proxy, Method method, Object @Nullable [] args) {
            return null;
        }

        /** Calls {@code method} on the tenant's scoped handle; the quotas, when configured, count what it writes. */
        @Nullable Object scoped(Routing.Target target, Method method, Object handle, Object @Nullable [] args)
                throws Throwable {
            return call(method, handle, args);
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                switch (name) {
                    case "equals":
                        return args != null && proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return describe();
                }
            }
            if (WITHERS.contains(name)) {
                return withOptions(plus(options, method, args));
            }
            Object special = special(proxy, method, args);
            if (special != null) {
                return special;
            }
            if (TENANT_FREE_GETTERS.contains(name) && TenantContext.find().isEmpty()) {
                return call(method, prototype(), args);
            }
            Routing.Target target = routing.resolve(isWrite(method, args));
            Object handle = handle(target);
            try {
                return StoreFailures.wrap(scoped(target, method, handle, args), target.placement.store(), target.tenant);
            } catch (RuntimeException e) {
                throw StoreFailures.translate(e, target.placement.store(), target.tenant);
            }
        }
    }

    private static final class CollectionHandler extends RoutingHandler {
        private final String logical;
        private final Class<?> documentClass;

        CollectionHandler(Routing routing, String logical, Class<?> documentClass, List<Option> options,
                int cacheSize) {
            super(routing, options, cacheSize);
            this.logical = logical;
            this.documentClass = documentClass;
        }

        @Override
        Object create(Routing.Target target) {
            return target.isolation.collection(target.tenant, target.placement, logical, documentClass);
        }

        @Override
        Object prototype() {
            return apply(routing.settings.clusters.first().getDatabase("tenantry").getCollection(logical, documentClass),
                    options, MongoCollection.class);
        }

        @Override
        boolean isWrite(Method method, Object @Nullable [] args) {
            String name = method.getName();
            return COLLECTION_WRITES.contains(name) || (name.equals("aggregate") && writesOut(firstList(args)));
        }

        @Override
        Object withOptions(List<Option> more) {
            return collection(routing, logical, documentClass, more, cacheSize);
        }

        @Override
        @Nullable Object scoped(Routing.Target target, Method method, Object handle, Object @Nullable [] args)
                throws Throwable {
            QuotaWrites quotas = routing.quotas;
            return quotas == null ? call(method, handle, args)
                    : quotas.collection(target, logical, method, (MongoCollection<?>) handle, args);
        }

        @Override
        @Nullable Object special(Object proxy, Method method, Object @Nullable [] args) {
            switch (method.getName()) {
                case "getDocumentClass":
                    return documentClass;
                case "withDocumentClass":
                    return collection(routing, logical, (Class<?>) Objects.requireNonNull(args)[0], options, cacheSize);
                default:
                    return null;
            }
        }

        @Override
        Class<?> type() {
            return MongoCollection.class;
        }

        @Override
        String describe() {
            return "Tenantry routing MongoCollection \"" + logical + "\" of " + documentClass.getSimpleName();
        }
    }

    private static final class DatabaseHandler extends RoutingHandler {

        /**
         * The routing collections handed out by {@code getCollection}, by name and document class.
         * MongoTemplate asks for its collection on every operation; a new routing collection each time
         * would start with an empty handle cache, and so build the tenant's scoped collection (and a
         * driver collection) on every operation.
         */
        private final Cache<CollectionKey, Object> collections;

        DatabaseHandler(Routing routing, List<Option> options, int cacheSize) {
            super(routing, options, cacheSize);
            this.collections = Caffeine.newBuilder().executor(Runnable::run).maximumSize(cacheSize).build();
        }

        /** A logical collection name with the document class its routing collection decodes to. */
        private record CollectionKey(String name, Class<?> documentClass) {
        }

        @Override
        Object create(Routing.Target target) {
            return target.isolation.database(target.tenant, target.placement);
        }

        @Override
        Object prototype() {
            return apply(routing.settings.clusters.first().getDatabase("tenantry"), options, MongoDatabase.class);
        }

        @Override
        boolean isWrite(Method method, Object @Nullable [] args) {
            String name = method.getName();
            if (name.equals("runCommand")) {
                return writesData(args);
            }
            return DATABASE_WRITES.contains(name) || (name.equals("aggregate") && writesOut(firstList(args)));
        }

        private static boolean writesData(Object @Nullable [] args) {
            for (Object arg : args == null ? new Object[0] : args) {
                if (arg instanceof Bson) {
                    BsonDocument command = ((Bson) arg).toBsonDocument();
                    if (command.isEmpty()) {
                        return true;
                    }
                    String name = command.getFirstKey().toLowerCase(java.util.Locale.ROOT);
                    return !READ_COMMANDS.contains(name)
                            || (name.equals("aggregate") && writesOut(command.get("pipeline") == null ? null
                                    : command.getArray("pipeline").getValues()));
                }
            }
            return true;
        }

        @Override
        Object withOptions(List<Option> more) {
            return database(routing, more, cacheSize);
        }

        @Override
        @Nullable Object scoped(Routing.Target target, Method method, Object handle, Object @Nullable [] args)
                throws Throwable {
            QuotaWrites quotas = routing.quotas;
            return quotas == null ? call(method, handle, args)
                    : quotas.database(target, method, (MongoDatabase) handle, args);
        }

        @Override
        @Nullable Object special(Object proxy, Method method, Object @Nullable [] args) {
            if (!method.getName().equals("getCollection")) {
                return null;
            }
            Object[] a = Objects.requireNonNull(args);
            String name = (String) a[0];
            Class<?> documentClass = a.length > 1 ? (Class<?>) a[1] : org.bson.Document.class;
            // The database's options (read preference, codecs, ...) replay on its collections by name.
            return collections.get(new CollectionKey(TenantMongo.checkLogicalName(name), documentClass),
                    key -> collection(routing, key.name(), key.documentClass(), options, cacheSize));
        }

        @Override
        Class<?> type() {
            return MongoDatabase.class;
        }

        @Override
        String describe() {
            return "Tenantry routing MongoDatabase";
        }
    }
}
