package io.tenantry.mongo;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MongoClient} for tests on a server without sessions: calls that carry a
 * {@link ClientSession} are counted and then run as their session-less twin, so that the command a
 * session overload produces reaches the server (and its command listener) all the same, and a test
 * can tell that the session was passed through to the driver.
 */
final class SessionStrippingClient {

    /** How many driver calls arrived with a session. */
    final AtomicInteger sessionCalls = new AtomicInteger();

    private final MongoClient client;

    SessionStrippingClient(MongoClient client) {
        this.client = client;
    }

    MongoClient client() {
        return wrap(client, MongoClient.class);
    }

    /** A session that is never really used: the stripping client removes it before the driver sees it. */
    static ClientSession fakeSession() {
        return (ClientSession) Proxy.newProxyInstance(SessionStrippingClient.class.getClassLoader(),
                new Class<?>[] {ClientSession.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return 7;
                        case "toString":
                            return "fake ClientSession";
                        default:
                            throw new UnsupportedOperationException("fake session: " + method.getName());
                    }
                });
    }

    private <T> T wrap(T target, Class<T> type) {
        return type.cast(Proxy.newProxyInstance(SessionStrippingClient.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    Object[] actual = args;
                    Method toCall = method;
                    if (args != null && args.length > 0 && args[0] instanceof ClientSession) {
                        sessionCalls.incrementAndGet();
                        actual = Arrays.copyOfRange(args, 1, args.length);
                        Class<?>[] types = Arrays.copyOfRange(method.getParameterTypes(), 1, method.getParameterCount());
                        toCall = type.getMethod(method.getName(), types);
                    }
                    Object result;
                    try {
                        result = toCall.invoke(target, actual);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof MongoCollection && method.getReturnType() == MongoCollection.class) {
                        return wrap((MongoCollection<?>) result, MongoCollection.class);
                    }
                    if (result instanceof MongoDatabase && method.getReturnType() == MongoDatabase.class) {
                        return wrap((MongoDatabase) result, MongoDatabase.class);
                    }
                    return result;
                }));
    }
}
