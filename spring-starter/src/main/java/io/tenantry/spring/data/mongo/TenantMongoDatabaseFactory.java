package io.tenantry.spring.data.mongo;

import com.mongodb.ClientSessionOptions;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCluster;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.mongo.TenantMongo;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.support.PersistenceExceptionTranslator;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.SessionAwareMethodInterceptor;
import org.springframework.data.mongodb.core.MongoExceptionTranslator;

/**
 * A {@link MongoDatabaseFactory} whose database is {@link TenantMongo#database()}: the routing
 * handle that sends each call to the database of the tenant bound at that moment, on whichever
 * isolation model it is placed. {@code MongoTemplate}, {@code GridFsTemplate} and Spring Data
 * repositories built on it work unchanged and stay confined to the current tenant.
 *
 * <ul>
 *   <li>{@link #getMongoDatabase(String)} answers only for the current tenant's own physical
 *       database and refuses every other name ({@link IsolationViolationException});
 *   <li>{@link #getSession} starts a session on the cluster that holds the current tenant's data;
 *       {@link #withSession} binds a session to every call, as Spring Data's own factories do (only
 *       as far as the server and the adapter's models support sessions). This is what
 *       {@code MongoTransactionManager} (so {@code @Transactional}) and {@code MongoTemplate.withSession}
 *       use;
 *   <li>a session belongs to one tenant: the one bound when this factory started it, or, for a session
 *       started elsewhere, the one bound when it is first used here. Using it, or any database or
 *       collection handed out with it, while another tenant is bound is refused
 *       ({@link IsolationViolationException}) before anything reaches the server, so a transaction
 *       never spans two tenants;
 *   <li>exceptions are translated by Spring Data's default {@link MongoExceptionTranslator}.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class TenantMongoDatabaseFactory implements MongoDatabaseFactory {

    private final TenantMongo mongo;
    private final MongoDatabase database;
    private final PersistenceExceptionTranslator exceptionTranslator;
    /** The tenant of each live session; weak, so that a closed and dropped session is forgotten. */
    private final Map<com.mongodb.session.ClientSession, TenantId> sessionTenants =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Creates the factory over {@code mongo}. */
    public TenantMongoDatabaseFactory(TenantMongo mongo) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.database = mongo.database();
        this.exceptionTranslator = new MongoExceptionTranslator();
    }

    /** Returns the routing database; calls on it need a bound tenant. */
    @Override
    public MongoDatabase getMongoDatabase() throws DataAccessException {
        return database;
    }

    /**
     * Returns the routing database if {@code dbName} is the current tenant's own database.
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     * @throws IsolationViolationException for any other database name
     */
    @Override
    public MongoDatabase getMongoDatabase(String dbName) throws DataAccessException {
        TenantId tenant = TenantContext.current();
        String own = mongo.databaseName(tenant);
        if (own.equals(dbName)) {
            return database;
        }
        throw new IsolationViolationException("Database \"" + dbName + "\" was asked for by name, but tenant \""
                + tenant + "\" may only reach its own database (\"" + own + "\"). Remove the explicit database"
                + " name (for example spring.data.mongodb.gridfs.database) and let Tenantry route.");
    }

    @Override
    public PersistenceExceptionTranslator getExceptionTranslator() {
        return exceptionTranslator;
    }

    /**
     * Starts a session on the cluster of the current tenant's placement; the session belongs to that
     * tenant.
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     */
    @Override
    public ClientSession getSession(ClientSessionOptions options) {
        TenantId tenant = TenantContext.current();
        ClientSession session = mongo.cluster(mongo.placement(tenant).store()).startSession(options);
        sessionTenants.put(session, tenant);
        return session;
    }

    @Override
    public MongoDatabaseFactory withSession(ClientSession session) {
        return new SessionBound(Objects.requireNonNull(session, "session"), this);
    }

    @Override
    public String toString() {
        return "TenantMongoDatabaseFactory{clusters=" + mongo.clusterNames() + "}";
    }

    /** The factory with a session applied to every database and collection call. */
    private static final class SessionBound implements MongoDatabaseFactory {
        private final ClientSession session;
        private final TenantMongoDatabaseFactory delegate;

        SessionBound(ClientSession session, TenantMongoDatabaseFactory delegate) {
            this.session = session;
            this.delegate = delegate;
        }

        @Override
        public MongoDatabase getMongoDatabase() {
            delegate.checkTenantOf(session);
            return delegate.proxyDatabase(session, delegate.getMongoDatabase());
        }

        @Override
        public MongoDatabase getMongoDatabase(String dbName) {
            delegate.checkTenantOf(session);
            return delegate.proxyDatabase(session, delegate.getMongoDatabase(dbName));
        }

        @Override
        public PersistenceExceptionTranslator getExceptionTranslator() {
            return delegate.getExceptionTranslator();
        }

        @Override
        public ClientSession getSession(ClientSessionOptions options) {
            return delegate.getSession(options);
        }

        @Override
        public MongoDatabaseFactory withSession(ClientSession other) {
            return delegate.withSession(other);
        }

        @Override
        public boolean isTransactionActive() {
            return session.hasActiveTransaction();
        }
    }

    /**
     * Refuses the use of {@code session} while another tenant than its own is bound; a session this
     * factory did not start becomes the bound tenant's on first use.
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     * @throws IsolationViolationException if the session belongs to another tenant
     */
    private void checkTenantOf(com.mongodb.session.ClientSession session) {
        TenantId bound = TenantContext.current();
        TenantId owner = sessionTenants.computeIfAbsent(session, started -> bound);
        if (!owner.equals(bound)) {
            throw new IsolationViolationException("A MongoDB session (and its transaction) of tenant \"" + owner
                    + "\" was used while tenant \"" + bound + "\" is bound: a session or transaction cannot span"
                    + " tenants. Start one transaction per tenant: bind the tenant before the @Transactional method"
                    + " or TransactionTemplate begins (for example TenantContext.runAs(tenant, () -> service.call())),"
                    + " not inside it.");
        }
    }

    private MongoDatabase proxyDatabase(com.mongodb.session.ClientSession session, MongoDatabase target) {
        return proxy(session, target, MongoDatabase.class);
    }

    private MongoCollection<?> proxyCollection(com.mongodb.session.ClientSession session, MongoCollection<?> target) {
        return proxy(session, target, MongoCollection.class);
    }

    private <T> T proxy(com.mongodb.session.ClientSession session, T target, Class<T> type) {
        ProxyFactory factory = new ProxyFactory();
        factory.setTarget(target);
        factory.setInterfaces(type);
        factory.setOpaque(true);
        factory.addAdvice(new SessionTenantAdvice(session));
        factory.addAdvice(new SessionAwareMethodInterceptor<>(session, target, MongoCluster.class, ClientSession.class,
                MongoDatabase.class, this::proxyDatabase, MongoCollection.class, this::proxyCollection));
        return type.cast(factory.getProxy(TenantMongoDatabaseFactory.class.getClassLoader()));
    }

    /**
     * Checks the session's tenant on every call, and hands out every database and collection a call
     * returns with the session applied. Spring Data's {@link SessionAwareMethodInterceptor} does the
     * latter only for results that are not {@link java.lang.reflect.Proxy} instances, and Tenantry's
     * routing handles are: without this, {@code getCollection} would return a collection without the
     * session, and a transaction's writes would run outside it.
     */
    private final class SessionTenantAdvice implements MethodInterceptor {
        private final com.mongodb.session.ClientSession session;

        SessionTenantAdvice(com.mongodb.session.ClientSession session) {
            this.session = session;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            Method method = invocation.getMethod();
            if (method.getDeclaringClass() == Object.class) {
                return invocation.proceed();
            }
            checkTenantOf(session);
            Object result = invocation.proceed();
            if (result == null || AopUtils.isAopProxy(result)) {
                return result;
            }
            if (result instanceof MongoCollection<?> collection
                    && MongoCollection.class.isAssignableFrom(method.getReturnType())) {
                return proxyCollection(session, collection);
            }
            if (result instanceof MongoDatabase database && MongoDatabase.class.isAssignableFrom(method.getReturnType())) {
                return proxyDatabase(session, database);
            }
            return result;
        }
    }
}
