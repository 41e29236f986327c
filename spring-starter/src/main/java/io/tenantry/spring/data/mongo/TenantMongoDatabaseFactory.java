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
import java.util.Objects;
import org.springframework.aop.framework.ProxyFactory;
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
 *       as far as the server and the adapter's models support sessions);
 *   <li>exceptions are translated by Spring Data's default {@link MongoExceptionTranslator}.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class TenantMongoDatabaseFactory implements MongoDatabaseFactory {

    private final TenantMongo mongo;
    private final MongoDatabase database;
    private final PersistenceExceptionTranslator exceptionTranslator;

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
     * Starts a session on the cluster of the current tenant's placement.
     *
     * @throws io.tenantry.NoTenantBoundException if no tenant is bound
     */
    @Override
    public ClientSession getSession(ClientSessionOptions options) {
        TenantId tenant = TenantContext.current();
        return mongo.cluster(mongo.placement(tenant).store()).startSession(options);
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
            return proxyDatabase(session, delegate.getMongoDatabase());
        }

        @Override
        public MongoDatabase getMongoDatabase(String dbName) {
            return proxyDatabase(session, delegate.getMongoDatabase(dbName));
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

    private static MongoDatabase proxyDatabase(com.mongodb.session.ClientSession session, MongoDatabase target) {
        return proxy(session, target, MongoDatabase.class);
    }

    private static MongoCollection<?> proxyCollection(com.mongodb.session.ClientSession session,
            MongoCollection<?> target) {
        return proxy(session, target, MongoCollection.class);
    }

    private static <T> T proxy(com.mongodb.session.ClientSession session, T target, Class<T> type) {
        ProxyFactory factory = new ProxyFactory();
        factory.setTarget(target);
        factory.setInterfaces(type);
        factory.setOpaque(true);
        factory.addAdvice(new SessionAwareMethodInterceptor<>(session, target, MongoCluster.class, ClientSession.class,
                MongoDatabase.class, TenantMongoDatabaseFactory::proxyDatabase, MongoCollection.class,
                TenantMongoDatabaseFactory::proxyCollection));
        return type.cast(factory.getProxy(TenantMongoDatabaseFactory.class.getClassLoader()));
    }
}
