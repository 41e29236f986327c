package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoNamespace;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.SearchIndexModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import io.tenantry.IsolationModel;
import io.tenantry.IsolationViolationException;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantRouter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Completeness, by reflection: every public method of {@code MongoCollection} and
 * {@code MongoDatabase} (driver 5.x), called through Tenantry's routing handles for a tenant on each
 * of the three models, is either refused with an {@link IsolationViolationException} or sends only
 * commands confined to that tenant, as the server receives them. Lazy results are run to the end.
 * A new driver method that a scoped handle passes through unconfined fails here. Session overloads
 * run through {@link SessionStrippingClient}, which proves the session reached the driver and lets
 * the command reach this server, which has no sessions.
 */
class DriverCompletenessTest {

    private static final String FIELD_DB = "cmp_field";
    private static final String SHARED_DB = "cmp_shared";
    private static final String PREFIX = "cmp_";
    private static final Map<IsolationModel, TenantId> TENANTS = Map.of(
            IsolationModel.FIELD, TenantId.of("fld"),
            IsolationModel.COLLECTION, TenantId.of("col"),
            IsolationModel.DATABASE, TenantId.of("dbt"));

    private static TestClusters clusters;
    private static CommandCapture capture;
    private static SessionStrippingClient stripping;
    private static TenantMongo mongo;

    @BeforeAll
    static void start() {
        capture = new CommandCapture();
        clusters = TestClusters.start(s -> s.addCommandListener(capture), "main");
        stripping = new SessionStrippingClient(clusters.client("main"));
        TenantDirectory directory = TenantDirectory.inMemory(
                Tenant.builder("fld").tier("free").build(),
                Tenant.builder("col").tier("premium").build(),
                Tenant.builder("dbt").tier("enterprise").build());
        TenantRouter router = TenantRouter.builder()
                .tier("free", Placement.field("main", FIELD_DB))
                .tier("premium", Placement.collection("main", SHARED_DB))
                .tier("enterprise", Placement.database("main", PREFIX))
                .build();
        mongo = TenantMongo.builder().cluster("main", stripping.client()).directory(directory).router(router)
                .collection("cards").build();
        TENANTS.values().forEach(mongo.provisioning()::ensure);
        capture.drain();
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCollectionMethodIsScopedOrRefused() {
        return tests(MongoCollection.class, () -> mongo.collection("cards"));
    }

    @TestFactory
    Stream<DynamicTest> everyDatabaseMethodIsScopedOrRefused() {
        return tests(MongoDatabase.class, () -> mongo.database());
    }

    private static Stream<DynamicTest> tests(Class<?> type, java.util.function.Supplier<Object> handle) {
        List<Method> methods = new ArrayList<>(Arrays.asList(type.getMethods()));
        methods.removeIf(m -> Modifier.isStatic(m.getModifiers()));
        methods.sort(Comparator.comparing(Method::toGenericString));
        assertThat(methods).hasSizeGreaterThan(type == MongoCollection.class ? 100 : 40);
        return Arrays.stream(IsolationModel.values()).flatMap(model -> methods.stream().map(method ->
                DynamicTest.dynamicTest(model + " " + signature(method), () -> check(model, handle, method))));
    }

    private static void check(IsolationModel model, java.util.function.Supplier<Object> handle, Method method)
            throws Exception {
        TenantId tenant = TENANTS.get(model);
        TenantContext.runAs(tenant, () -> {
            capture.drain();
            int sessionsBefore = stripping.sessionCalls.get();
            Object[] args = arguments(method, model);
            Throwable failure = null;
            try {
                Object result = method.invoke(handle.get(), args);
                run(result);
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            } catch (RuntimeException e) {
                failure = e;
            }
            List<CommandCapture.Sent> sent = capture.drain();
            if (failure instanceof IsolationViolationException) {
                assertThat(sent).as("a refused call sends nothing").isEmpty();
                assertThat(failure.getMessage()).isNotBlank();
                return;
            }
            for (CommandCapture.Sent command : sent) {
                assertConfined(model, tenant, command);
            }
            if (method.getParameterCount() > 0 && method.getParameterTypes()[0] == ClientSession.class
                    && !sent.isEmpty()) {
                assertThat(stripping.sessionCalls.get()).as("the session reaches the driver").isGreaterThan(sessionsBefore);
            }
        });
    }

    /** Runs a lazy result to the end, so that what it would send is sent. */
    private static void run(Object result) {
        if (result instanceof ChangeStreamIterable) {
            try (MongoChangeStreamCursor<?> cursor = ((ChangeStreamIterable<?>) result).cursor()) {
                cursor.tryNext();
            } catch (IsolationViolationException e) {
                throw e;
            } catch (RuntimeException serverLacksChangeStreams) {
                // the embedded server has no change streams; the command it was sent is checked
            }
        } else if (result instanceof MongoIterable) {
            try {
                ((MongoIterable<?>) result).into(new ArrayList<>());
            } catch (IsolationViolationException e) {
                throw e;
            } catch (RuntimeException serverLacksFeature) {
                // a server without the feature answers with an error; the command it was sent is checked
            }
        }
    }

    private static void assertConfined(IsolationModel model, TenantId tenant, CommandCapture.Sent sent) {
        BsonDocument cmd = sent.command;
        switch (model) {
            case DATABASE: {
                String db = PREFIX + tenant.value();
                if (sent.name.equals("renameCollection")) {
                    assertThat(cmd.getString("renameCollection").getValue()).startsWith(db + ".");
                    assertThat(cmd.getString("to").getValue()).startsWith(db + ".");
                } else {
                    assertThat(sent.database).as("database of %s", sent).isEqualTo(db);
                }
                break;
            }
            case COLLECTION: {
                String own = tenant.value() + ".";
                if (sent.name.equals("renameCollection")) {
                    assertThat(cmd.getString("renameCollection").getValue()).startsWith(SHARED_DB + "." + own);
                    assertThat(cmd.getString("to").getValue()).startsWith(SHARED_DB + "." + own);
                    break;
                }
                assertThat(sent.database).as("database of %s", sent).isEqualTo(SHARED_DB);
                BsonValue target = cmd.get(sent.name);
                if (target != null && target.isString() && !sent.name.equals("listCollections")) {
                    assertThat(target.asString().getValue()).as("collection of %s", sent).startsWith(own);
                }
                if (sent.name.equals("dropDatabase")) {
                    throw new AssertionError("dropDatabase on the shared database: " + sent);
                }
                break;
            }
            default:
                assertFieldConfined(tenant, sent);
        }
    }

    private static void assertFieldConfined(TenantId tenant, CommandCapture.Sent sent) {
        BsonDocument cmd = sent.command;
        assertThat(sent.database).as("database of %s", sent).isEqualTo(FIELD_DB);
        assertThat(sent.name).as("shared data must not be dropped or renamed: %s", sent)
                .isNotIn("drop", "dropDatabase", "dropIndexes", "renameCollection", "mapReduce", "collMod");
        BsonString value = new BsonString(tenant.value());
        switch (sent.name) {
            case "find":
                assertTenantFilter(cmd.getDocument("filter", null), value, sent);
                break;
            case "count":
                assertTenantFilter(cmd.getDocument("query", null), value, sent);
                break;
            case "distinct":
                assertTenantFilter(cmd.getDocument("query", null), value, sent);
                break;
            case "findAndModify":
                assertTenantFilter(cmd.getDocument("query", null), value, sent);
                BsonValue update = cmd.get("update");
                if (update != null && update.isDocument() && !update.asDocument().isEmpty()
                        && !update.asDocument().getFirstKey().startsWith("$")) {
                    assertThat(update.asDocument().get(TenantMongo.DEFAULT_TENANT_FIELD)).isEqualTo(value);
                }
                break;
            case "delete":
                cmd.getArray("deletes").forEach(d -> assertTenantFilter(d.asDocument().getDocument("q"), value, sent));
                break;
            case "update":
                cmd.getArray("updates").forEach(u -> {
                    assertTenantFilter(u.asDocument().getDocument("q"), value, sent);
                    BsonValue body = u.asDocument().get("u");
                    if (body.isDocument() && !body.asDocument().isEmpty() && !body.asDocument().getFirstKey().startsWith("$")) {
                        assertThat(body.asDocument().get(TenantMongo.DEFAULT_TENANT_FIELD)).as("replacement of %s", sent)
                                .isEqualTo(value);
                    }
                });
                break;
            case "insert":
                cmd.getArray("documents").forEach(d -> assertThat(d.asDocument().get(TenantMongo.DEFAULT_TENANT_FIELD))
                        .as("inserted by %s", sent).isEqualTo(value));
                break;
            case "aggregate": {
                BsonDocument first = cmd.getArray("pipeline").get(0).asDocument();
                if (first.containsKey("$match")) {
                    assertTenantFilter(first.getDocument("$match"), value, sent);
                } else if (first.containsKey("$changeStream")) {
                    BsonDocument second = cmd.getArray("pipeline").get(1).asDocument();
                    assertThat(second.toJson()).as("change stream of %s", sent).contains(tenant.value());
                } else {
                    throw new AssertionError("aggregate not starting with the tenant $match: " + sent);
                }
                break;
            }
            case "createIndexes":
                cmd.getArray("indexes").forEach(i -> assertThat(i.asDocument().getDocument("key").getFirstKey())
                        .as("index of %s", sent).isEqualTo(TenantMongo.DEFAULT_TENANT_FIELD));
                break;
            case "listIndexes":
            case "listCollections":
            case "create":
            case "getMore":
            case "killCursors":
                break;
            default:
                throw new AssertionError("unexpected command on the shared database: " + sent);
        }
    }

    private static void assertTenantFilter(BsonDocument filter, BsonString tenant, CommandCapture.Sent sent) {
        assertThat(filter).as("filter of %s", sent).isNotNull();
        BsonDocument condition = new BsonDocument(TenantMongo.DEFAULT_TENANT_FIELD, tenant);
        boolean direct = tenant.equals(filter.get(TenantMongo.DEFAULT_TENANT_FIELD));
        boolean conjunct = filter.containsKey("$and") && filter.getArray("$and").contains(condition);
        assertThat(direct || conjunct).as("tenant condition in %s", sent).isTrue();
    }

    private static String signature(Method method) {
        StringBuilder out = new StringBuilder(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            out.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return out.append(')').toString();
    }

    private static Object[] arguments(Method method, IsolationModel model) {
        Type[] types = method.getGenericParameterTypes();
        Object[] args = new Object[types.length];
        int bson = 0;
        for (int i = 0; i < types.length; i++) {
            args[i] = argument(method, types[i], i, bson, model);
            if (types[i] == Bson.class) {
                bson++;
            }
        }
        return args;
    }

    private static Object argument(Method method, Type type, int index, int bsonIndex, IsolationModel model) {
        String name = method.getName();
        Class<?> raw = rawType(type);
        if (raw == ClientSession.class) {
            return SessionStrippingClient.fakeSession();
        }
        if (type instanceof TypeVariable || raw == Object.class) {
            return new Document("name", "probe").append("qty", 1);
        }
        if (raw == Bson.class) {
            if (name.startsWith("update") && bsonIndex == 1 || name.equals("findOneAndUpdate") && bsonIndex == 1) {
                return new Document("$set", new Document("qty", 2));
            }
            if (name.contains("Index") || name.contains("index")) {
                return new Document("name", 1);
            }
            if (name.equals("runCommand")) {
                return new Document("count", "cards");
            }
            return new Document("name", "probe");
        }
        if (raw == String.class) {
            switch (name) {
                case "distinct":
                    return "name";
                case "dropIndex":
                    return "name_1";
                case "createCollection":
                case "getCollection":
                    return "probe_created";
                case "createView":
                    return index == 0 || (index == 1 && method.getParameterTypes()[0] == ClientSession.class)
                            ? "probe_view" : "cards";
                case "mapReduce":
                    return "function() {}";
                default:
                    return "probe";
            }
        }
        if (raw == Class.class) {
            return Document.class;
        }
        if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            String text = element.getTypeName();
            if (text.contains("IndexModel") && !text.contains("Search")) {
                return List.of(new IndexModel(new Document("name", 1)));
            }
            if (text.contains("SearchIndexModel")) {
                return List.of(new SearchIndexModel(new Document("mappings", new Document("dynamic", true))));
            }
            if (text.contains("WriteModel")) {
                return List.of(new InsertOneModel<>(new Document("name", "probe")),
                        new UpdateOneModel<Document>(new Document("name", "probe"), new Document("$set", new Document("qty", 3))),
                        new UpdateManyModel<Document>(new Document("name", "probe"), new Document("$set", new Document("qty", 4))),
                        new ReplaceOneModel<>(new Document("name", "probe"), new Document("name", "probe").append("qty", 5)),
                        new DeleteOneModel<Document>(new Document("name", "nothing")),
                        new DeleteManyModel<Document>(new Document("name", "nothing")));
            }
            if (name.startsWith("update") || name.equals("findOneAndUpdate")) {
                return List.of(new Document("$set", new Document("qty", 6)));
            }
            if (text.contains("Bson")) {
                return List.of(new Document("$match", new Document("name", "probe")));
            }
            return List.of(new Document("name", "probe"), new Document("name", "probe2"));
        }
        if (raw == MongoNamespace.class) {
            String db = model == IsolationModel.DATABASE ? PREFIX + TENANTS.get(model).value()
                    : model == IsolationModel.FIELD ? FIELD_DB : SHARED_DB;
            return new MongoNamespace(db, "renamed");
        }
        if (raw == TimeUnit.class) {
            return TimeUnit.SECONDS;
        }
        if (raw == long.class) {
            return 10L;
        }
        if (raw == ReadPreference.class) {
            return ReadPreference.primary();
        }
        if (raw == ReadConcern.class) {
            return ReadConcern.DEFAULT;
        }
        if (raw == WriteConcern.class) {
            return WriteConcern.ACKNOWLEDGED;
        }
        if (raw == org.bson.codecs.configuration.CodecRegistry.class) {
            return com.mongodb.MongoClientSettings.getDefaultCodecRegistry();
        }
        try {
            return raw.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No test argument for " + type + " of " + method, e);
        }
    }

    private static Class<?> rawType(Type type) {
        if (type instanceof Class) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }
        return Object.class;
    }
}
