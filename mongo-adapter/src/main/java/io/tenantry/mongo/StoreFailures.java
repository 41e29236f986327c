package io.tenantry.mongo;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;
import io.tenantry.StoreUnavailableException;
import io.tenantry.TenantId;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns the driver's "cannot reach the server" failures into a {@link StoreUnavailableException}
 * that names the cluster and the tenant, so an operator sees at once which cluster is down and whom
 * it affects. Lazy results (iterables, cursors) are wrapped too, since they fail only when run.
 */
final class StoreFailures {

    /**
     * The constructor of the proxy class of each result class (implementing its public interfaces),
     * worked out once per class: this runs on every call.
     */
    private static final ClassValue<Constructor<?>> PROXIES = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> resultClass) {
            Set<Class<?>> interfaces = new LinkedHashSet<>();
            for (Class<?> type = resultClass; type != null; type = type.getSuperclass()) {
                collect(type, interfaces);
            }
            return ProxyConstructors.of(interfaces.toArray(new Class<?>[0]));
        }
    };

    private StoreFailures() {
    }

    /** Returns {@code error} translated when it is a connectivity failure, otherwise {@code error} itself. */
    static Throwable translate(Throwable error, String store, TenantId tenant) {
        if (error instanceof MongoTimeoutException || error instanceof MongoSocketException) {
            return new StoreUnavailableException(store, "MongoDB cluster \"" + store + "\", which holds the data of"
                    + " tenant \"" + tenant + "\", is unreachable: " + error.getMessage() + " Tenants on other clusters"
                    + " are unaffected; check the cluster's health and its connection settings.", error);
        }
        return error;
    }

    /**
     * Wraps a lazy result so that its failures are translated too; other values are returned as they
     * are. An iterable bound to its tenant by {@link ScopedIterables} is bound again to translate
     * failures itself, rather than wrapped in a second proxy.
     */
    static @Nullable Object wrap(@Nullable Object result, String store, TenantId tenant) {
        if (result instanceof ScopedIterables.Translating
                || !(result instanceof MongoIterable) && !(result instanceof MongoCursor) && !(result instanceof Iterator)) {
            return result;
        }
        Object translating = ScopedIterables.translating(result, store, tenant);
        if (translating != null) {
            return translating;
        }
        return ProxyConstructors.instantiate(PROXIES.get(result.getClass()), new Translating(result, store, tenant));
    }

    private static void collect(Class<?> type, Set<Class<?>> into) {
        for (Class<?> candidate : type.getInterfaces()) {
            if (java.lang.reflect.Modifier.isPublic(candidate.getModifiers()) && into.add(candidate)) {
                collect(candidate, into);
            }
        }
    }

    private static final class Translating implements InvocationHandler {
        private final Object delegate;
        private final String store;
        private final TenantId tenant;

        Translating(Object delegate, String store, TenantId tenant) {
            this.delegate = delegate;
            this.store = store;
            this.tenant = tenant;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
                return args != null && proxy == args[0];
            }
            try {
                Object result = method.invoke(delegate, args);
                return result == delegate ? proxy : wrap(result, store, tenant);
            } catch (InvocationTargetException e) {
                throw translate(e.getCause(), store, tenant);
            }
        }
    }
}
