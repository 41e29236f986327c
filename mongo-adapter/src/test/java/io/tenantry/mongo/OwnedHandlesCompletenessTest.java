package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoIterable;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * Every method of {@link MongoCollection} and {@link MongoDatabase} is implemented by Tenantry's
 * owned handles, and each either is refused or reaches the driver as the same method, a
 * ClientSession overload as a ClientSession overload with the caller's session: checked by
 * reflection, so a method added by a newer driver fails here first.
 */
class OwnedHandlesCompletenessTest {

    private static final TenantId ACME = TenantId.of("acme");

    private static List<Method> methods(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) && !method.isDefault()) {
                methods.add(method);
            }
        }
        assertThat(methods).hasSizeGreaterThan(40);
        return methods;
    }

    @Test
    void owned_handles_implement_every_driver_method_themselves() throws NoSuchMethodException {
        for (Method method : methods(MongoCollection.class)) {
            assertThat(OwnedCollection.class.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass())
                    .as(method.toString()).isIn(OwnedCollection.class, OwnedCollectionWrites.class,
                            OwnedCollectionQueries.class);
        }
        for (Method method : methods(MongoDatabase.class)) {
            assertThat(OwnedDatabase.class.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass())
                    .as(method.toString()).isEqualTo(OwnedDatabase.class);
        }
    }

    @Test
    void owned_collections_delegate_each_method_to_the_same_driver_method_with_the_same_session() throws Exception {
        for (boolean shared : List.of(true, false)) {
            String database = shared ? "cardvault" : "cv_acme";
            OwnedNamespace namespace = shared ? OwnedNamespace.shared(ACME, database, OwnedNamespace.newShortenedNames())
                    : OwnedNamespace.dedicated(ACME, database);
            for (Method method : methods(MongoCollection.class)) {
                Recorder recorder = new Recorder(database);
                recorder.recordGetters = method.getName().equals("getCodecRegistry");
                OwnedCollection<?> owned = new OwnedCollection<>(recorder.collection("physical"), namespace);
                Object[] args = recorder.arguments(method);
                if (method.getName().equals("mapReduce")) {
                    assertThatThrownBy(() -> invoke(owned, method, args)).isInstanceOf(IsolationViolationException.class);
                    assertThat(recorder.calls).isEmpty();
                    continue;
                }
                invoke(owned, method, args);
                assertThat(recorder.calls).as(method.toString()).hasSize(1);
                Recorder.Call call = recorder.calls.get(0);
                assertThat(call.method).as(method.toString()).isEqualTo(method);
                for (int i = 0; i < args.length; i++) {
                    Object expected = args[i];
                    if (args[i] instanceof MongoNamespace) {
                        expected = new MongoNamespace(database, namespace.physical("archive"));
                    } else if (method.getName().equals("aggregate") && args[i] instanceof List) {
                        expected = List.of(BsonDocument.parse("{$match: {}}"));
                    }
                    assertThat(call.args[i]).as(method + " argument " + i).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void owned_databases_refuse_or_delegate_with_the_same_session() throws Exception {
        check(true, Set.of("watch", "aggregate"), recorder -> new CollectionModelDatabase(recorder.database(),
                OwnedNamespace.shared(ACME, "cardvault", OwnedNamespace.newShortenedNames())));
        check(false, Set.of(), recorder -> new TenantDatabase(recorder.database(),
                OwnedNamespace.dedicated(ACME, "cv_acme")));
    }

    private static void check(boolean shared, Set<String> refused, Function<Recorder, MongoDatabase> factory)
            throws Exception {
        for (Method method : methods(MongoDatabase.class)) {
            Recorder recorder = new Recorder(shared ? "cardvault" : "cv_acme");
            MongoDatabase owned = factory.apply(recorder);
            recorder.recordGetters = method.getName().startsWith("get");
            Object[] args = recorder.arguments(method);
            if (refused.contains(method.getName())) {
                assertThatThrownBy(() -> invoke(owned, method, args)).as(method.toString())
                        .isInstanceOf(IsolationViolationException.class);
                assertThat(recorder.calls).isEmpty();
                continue;
            }
            Object result = TenantContext.callAs(ACME, () -> invoke(owned, method, args));
            if (result instanceof MongoIterable) {
                TenantContext.callAs(ACME, () -> ((MongoIterable<?>) result).first());
            }
            boolean withSession = method.getParameterCount() > 0 && method.getParameterTypes()[0] == ClientSession.class;
            for (Recorder.Call call : recorder.calls) {
                if (Recorder.hasSessionOverload(call.method)) {
                    assertThat(call.hasSession()).as(method + " -> " + call).isEqualTo(withSession);
                }
                if (call.hasSession()) {
                    assertThat(call.args[0]).isSameAs(recorder.session);
                }
                String name = call.method.getName();
                if (name.equals("createCollection") || name.equals("createView") || name.equals("getCollection")) {
                    assertThat(call.args[withSession ? 1 : 0]).as(method.toString())
                            .isEqualTo(shared ? "acme.cards" : "cards");
                }
            }
            if (!Set.of("getCollection", "listCollectionNames", "listCollections").contains(method.getName())) {
                assertThat(recorder.calls).as(method.toString()).isNotEmpty();
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw (Error) e.getCause();
        }
    }
}
