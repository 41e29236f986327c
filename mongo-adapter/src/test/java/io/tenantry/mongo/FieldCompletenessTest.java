package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.ReadPreference;
import com.mongodb.client.ClientSession;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.InsertOneModel;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every driver method is implemented explicitly by the FIELD handles (none inherited from the
 * interface, so a new default method cannot slip through unconfined), and every {@code ClientSession}
 * overload sends exactly what its session-less twin sends, with the session passed through.
 */
class FieldCompletenessTest {

    private static final Set<Class<?>> FIELD_COLLECTION_CLASSES = Set.of(FieldReads.class, FieldWrites.class,
            FieldFindAndModify.class, FieldCollection.class);

    /** Calls on the driver handles that only read options: not operations. */
    private static final Set<String> NOT_OPERATIONS = Set.of("getCodecRegistry", "getDocumentClass",
            "withDocumentClass", "withCodecRegistry", "getNamespace", "getReadPreference", "getWriteConcern", "getReadConcern", "getTimeout",
            "getName", "toString");

    private static final FieldScope SCOPE = new FieldScope(TenantId.of("acme"), new FieldRules("tenantId"), "cardvault");

    private static final ClientSession SESSION = (ClientSession) Proxy.newProxyInstance(
            FieldCompletenessTest.class.getClassLoader(), new Class<?>[] {ClientSession.class},
            (proxy, method, args) -> method.getName().equals("toString") ? "the session" : null);

    @Test
    void everyCollectionMethodIsImplementedExplicitly() {
        for (Method method : MongoCollection.class.getMethods()) {
            Method implementation = implementation(FieldCollection.class, method);
            assertThat(FIELD_COLLECTION_CLASSES).as(method.toString()).contains(implementation.getDeclaringClass());
        }
    }

    @Test
    void everyDatabaseMethodIsImplementedExplicitly() {
        for (Method method : MongoDatabase.class.getMethods()) {
            assertThat(implementation(FieldDatabase.class, method).getDeclaringClass()).as(method.toString())
                    .isIn(FieldDatabase.class, FieldDatabaseRefusals.class);
        }
    }

    private static Method implementation(Class<?> type, Method method) {
        try {
            Method found = type.getMethod(method.getName(), method.getParameterTypes());
            assertThat(Modifier.isAbstract(found.getModifiers())).as(found.toString()).isFalse();
            return found;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(method + " is not implemented", e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCollectionSessionOverloadBehavesLikeItsTwin() {
        return sessionOverloads(MongoCollection.class)
                .map(method -> DynamicTest.dynamicTest(method.toString(), () -> compareWithTwin(method, calls -> {
                    @SuppressWarnings("unchecked") // a recording proxy of MongoCollection, of Documents
                    MongoCollection<Document> delegate = (MongoCollection<Document>) recorder(MongoCollection.class,
                            calls);
                    return new FieldCollection<>(SCOPE, delegate);
                })));
    }

    @TestFactory
    Stream<DynamicTest> everyDatabaseSessionOverloadBehavesLikeItsTwin() {
        return sessionOverloads(MongoDatabase.class)
                .map(method -> DynamicTest.dynamicTest(method.toString(), () -> compareWithTwin(method,
                        calls -> new FieldDatabase(SCOPE, (MongoDatabase) recorder(MongoDatabase.class, calls)))));
    }

    private static Stream<Method> sessionOverloads(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getParameterCount() > 0 && m.getParameterTypes()[0] == ClientSession.class);
    }

    private static void compareWithTwin(Method withSession, java.util.function.Function<List<Call>, Object> handle)
            throws Exception {
        Class<?>[] twinTypes = Arrays.copyOfRange(withSession.getParameterTypes(), 1, withSession.getParameterCount());
        Method twin = withSession.getDeclaringClass().getMethod(withSession.getName(), twinTypes);
        Object[] twinArgs = samples(twin);
        Object[] sessionArgs = new Object[twinArgs.length + 1];
        sessionArgs[0] = SESSION;
        System.arraycopy(twinArgs, 0, sessionArgs, 1, twinArgs.length);

        List<Call> twinCalls = new ArrayList<>();
        List<Call> sessionCalls = new ArrayList<>();
        Throwable twinFailure = invoke(twin, handle.apply(twinCalls), twinArgs);
        Throwable sessionFailure = invoke(withSession, handle.apply(sessionCalls), sessionArgs);

        if (twinFailure != null) {
            assertThat(twinFailure).isInstanceOf(IsolationViolationException.class);
            assertThat(sessionFailure).isInstanceOf(IsolationViolationException.class)
                    .hasMessage(twinFailure.getMessage());
            assertThat(sessionCalls).isEmpty();
            return;
        }
        assertThat(sessionFailure).isNull();
        assertThat(sessionCalls).isNotEmpty();
        for (Call call : sessionCalls) {
            assertThat(call.args).as(call.name + " gets the session").isNotEmpty();
            assertThat(call.args.get(0)).as(call.name + " gets the session").isSameAs(SESSION);
        }
        assertThat(sessionCalls.stream().map(Call::withoutSession).toList())
                .isEqualTo(twinCalls.stream().map(Call::describe).toList());
    }

    private static Throwable invoke(Method method, Object target, Object[] args) {
        try {
            method.invoke(target, args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            return fail("cannot call " + method, e);
        }
    }

    /** Sample arguments that every FIELD rule accepts, by parameter type and method. */
    private static Object[] samples(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = sample(method.getName(), types[i]);
        }
        return args;
    }

    private static Object sample(String method, Class<?> type) {
        if (type == org.bson.conversions.Bson.class) {
            return method.equals("runCommand") ? new Document("ping", 1) : new Document("$set", new Document("k", 1));
        }
        if (type == List.class) {
            switch (method) {
                case "bulkWrite":
                    return List.of(new InsertOneModel<>(new Document("a", 1)));
                case "insertMany":
                    return List.of(new Document("a", 1));
                case "createIndexes":
                    return List.of(new IndexModel(new Document("k", 1)));
                default:
                    return List.of(new Document("$set", new Document("k", 1)));
            }
        }
        if (type == Object.class) {
            return new Document("a", 1);
        }
        if (type == String.class) {
            return "cards";
        }
        if (type == Class.class) {
            return Document.class;
        }
        if (type == ReadPreference.class) {
            return ReadPreference.secondaryPreferred();
        }
        if (type == MongoNamespace.class) {
            return new MongoNamespace("cardvault", "other");
        }
        if (type == TimeUnit.class) {
            return TimeUnit.SECONDS;
        }
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("No sample for " + type + " of " + method, e);
        }
    }

    /** One call the FIELD handle made on the driver's handle. */
    private static final class Call {
        final String name;
        final List<Object> args;

        Call(String name, Object[] args) {
            this.name = name;
            this.args = args == null ? List.of() : Arrays.asList(args);
        }

        String describe() {
            return name + args.stream().map(String::valueOf).toList();
        }

        String withoutSession() {
            return name + args.subList(1, args.size()).stream().map(String::valueOf).toList();
        }
    }

    /** A driver handle of {@code type} that records its operations into {@code calls} and answers blandly. */
    private static Object recorder(Class<?> type, List<Call> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (!NOT_OPERATIONS.contains(method.getName()) && method.getDeclaringClass() != Object.class) {
                calls.add(new Call(method.getName(), args));
            }
            return answer(proxy, method, args, calls);
        };
        return Proxy.newProxyInstance(FieldCompletenessTest.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object answer(Object proxy, Method method, Object[] args, List<Call> calls) {
        Class<?> returns = method.getReturnType();
        switch (method.getName()) {
            case "into":
                return args[0];
            case "getCodecRegistry":
                return MongoClientSettings.getDefaultCodecRegistry();
            case "getDocumentClass":
                return Document.class;
            case "getNamespace":
                return new MongoNamespace("cardvault", "cards");
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                break;
        }
        if (returns == Object.class) {
            return null; // a document: none found
        }
        if (returns.isInstance(proxy)) {
            return proxy;
        }
        if (returns == MongoCollection.class) {
            return recorder(MongoCollection.class, calls);
        }
        if (returns == long.class) {
            return 0L;
        }
        if (returns == boolean.class) {
            return false;
        }
        if (returns == String.class) {
            return "answer";
        }
        if (returns == List.class) {
            return List.of("answer");
        }
        if (returns == InsertOneResult.class) {
            return InsertOneResult.unacknowledged();
        }
        if (returns == InsertManyResult.class) {
            return InsertManyResult.unacknowledged();
        }
        if (returns == UpdateResult.class) {
            return UpdateResult.unacknowledged();
        }
        if (returns == BulkWriteResult.class) {
            return BulkWriteResult.unacknowledged();
        }
        if (returns.isInterface() && returns.getName().startsWith("com.mongodb.client.")) {
            return iterable(returns);
        }
        return null;
    }

    /** A driver iterable that returns itself from every option setter and is empty. */
    private static Object iterable(Class<?> type) {
        return Proxy.newProxyInstance(FieldCompletenessTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer(proxy, method, args, new ArrayList<>()));
    }

    @Test
    void theSampleSessionIsNotARealOne() {
        assertThatThrownBy(() -> SESSION.getServerSession().getIdentifier()).isInstanceOf(NullPointerException.class);
    }
}
