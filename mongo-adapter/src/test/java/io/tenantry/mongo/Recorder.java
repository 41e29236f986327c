package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoIterable;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterators;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;

/**
 * Stand-ins for the driver's database and collection that record every call made on them, and
 * argument values for any driver method; for checking, without a server, how Tenantry's handles
 * delegate each method (session overloads included, which the test server cannot run).
 */
final class Recorder {

    static final CodecRegistry CODECS = MongoClientSettings.getDefaultCodecRegistry();

    /** One call on a recorded database or collection. */
    static final class Call {
        final Method method;
        final Object[] args;

        Call(Method method, Object[] args) {
            this.method = method;
            this.args = args;
        }

        boolean hasSession() {
            return method.getParameterCount() > 0 && method.getParameterTypes()[0] == ClientSession.class;
        }

        @Override
        public String toString() {
            return method.getDeclaringClass().getSimpleName() + "." + method.getName() + List.of(method.getParameterTypes());
        }
    }

    /** The calls made, getters that do no I/O ({@code getCodecRegistry}, {@code getName}) left out. */
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final ClientSession session = (ClientSession) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ClientSession.class}, (proxy, method, args) -> method.getName().equals("hashCode")
                    ? 7 : method.getName().equals("equals") ? proxy == args[0] : null);
    private final String database;
    /** Whether calls of getters are recorded too: set it to check a getter itself. */
    boolean recordGetters;

    Recorder(String database) {
        this.database = database;
    }

    MongoDatabase database() {
        return record(MongoDatabase.class);
    }

    @SuppressWarnings("unchecked")
    MongoCollection<Document> collection(String name) {
        return (MongoCollection<Document>) record(MongoCollection.class);
    }

    private <T> T record(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0] : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy) : type.getSimpleName();
            }
            if (!Set.of("getCodecRegistry", "getName").contains(method.getName()) || recordGetters) {
                calls.add(new Call(method, args == null ? new Object[0] : args));
            }
            return answer(method.getReturnType(), method.getName());
        }));
    }

    private Object answer(Class<?> type, String method) {
        if (type == MongoDatabase.class) {
            return record(MongoDatabase.class);
        } else if (type == MongoCollection.class) {
            return record(MongoCollection.class);
        } else if (MongoIterable.class.isAssignableFrom(type)) {
            return emptyIterable(type);
        } else if (type == MongoNamespace.class) {
            return new MongoNamespace(database, "recorded");
        } else if (type == String.class) {
            return method.equals("getName") ? database : "recorded";
        }
        return value(type);
    }

    private static Object emptyIterable(Class<?> type) {
        return Proxy.newProxyInstance(Recorder.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "iterator":
                case "cursor":
                    return emptyCursor();
                case "into":
                    return (Collection<?>) args[0];
                case "spliterator":
                    return Spliterators.emptySpliterator();
                case "first":
                case "forEach":
                case "toCollection":
                    return null;
                case "hashCode":
                    return 1;
                case "equals":
                    return proxy == args[0];
                default:
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
            }
        });
    }

    private static MongoCursor<?> emptyCursor() {
        return (MongoCursor<?>) Proxy.newProxyInstance(Recorder.class.getClassLoader(), new Class<?>[] {MongoCursor.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "hasNext":
                            return false;
                        case "next":
                            throw new NoSuchElementException();
                        case "available":
                            return 0;
                        default:
                            return null;
                    }
                });
    }

    /** Returns an argument or answer of type {@code type}, the same for the same type. */
    Object argument(Class<?> type) {
        if (type == ClientSession.class) {
            return session;
        } else if (type == MongoNamespace.class) {
            return new MongoNamespace(database, "archive");
        } else if (type == String.class) {
            return "cards";
        } else if (type == List.class) {
            return List.of(new BsonDocument("$match", new BsonDocument()));
        } else if (type == Object.class) {
            return new Document("name", "x");
        }
        return value(type);
    }

    private static Object value(Class<?> type) {
        if (type == long.class || type == Long.class) {
            return 5L;
        } else if (type == int.class) {
            return 0;
        } else if (type == boolean.class) {
            return false;
        } else if (type == void.class) {
            return null;
        } else if (type == List.class) {
            return new ArrayList<>();
        } else if (type == Document.class) {
            return new Document("ok", 1);
        } else if (type == Class.class) {
            return Document.class;
        } else if (type == org.bson.conversions.Bson.class) {
            return new BsonDocument("ping", new BsonInt32(1));
        } else if (type == CodecRegistry.class) {
            return CODECS;
        } else if (type == TimeUnit.class) {
            return TimeUnit.SECONDS;
        } else if (type == ReadPreference.class) {
            return ReadPreference.primary();
        } else if (type == WriteConcern.class) {
            return WriteConcern.MAJORITY;
        } else if (type == ReadConcern.class) {
            return ReadConcern.MAJORITY;
        }
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Returns arguments for {@code method}. */
    Object[] arguments(Method method) {
        Object[] args = new Object[method.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = argument(method.getParameterTypes()[i]);
        }
        return args;
    }

    /** Returns whether {@code method}'s interface also declares it with a leading ClientSession. */
    static boolean hasSessionOverload(Method method) {
        Class<?>[] params = method.getParameterTypes();
        if (params.length > 0 && params[0] == ClientSession.class) {
            return true;
        }
        Class<?>[] withSession = new Class<?>[params.length + 1];
        withSession[0] = ClientSession.class;
        System.arraycopy(params, 0, withSession, 1, params.length);
        try {
            method.getDeclaringClass().getMethod(method.getName(), withSession);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
