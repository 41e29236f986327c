package io.tenantry.mongo;

import com.mongodb.client.ClientSession;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The DATABASE model's view of a tenant's own database, {@code prefix + tenantId} on its cluster.
 * Collections keep their logical names. What is confined is what could leave the database:
 *
 * <ul>
 *   <li>{@code runCommand} allows only {@link OwnedCommands#WITHIN_DATABASE} commands, their
 *       pipelines confined;
 *   <li>aggregation pipelines (also of views and database-level {@code aggregate}) cannot name
 *       another database;
 *   <li>{@code renameCollection} targets must be in the tenant's database;
 *   <li>{@code drop()} drops the tenant's database only.
 * </ul>
 *
 * <p>Listings and database-level change streams pass through, bound to the tenant: everything in
 * the database is the tenant's. Thread-safe.
 */
final class TenantDatabase extends OwnedDatabase {

    TenantDatabase(MongoDatabase own, OwnedNamespace namespace) {
        super(own, namespace);
        if (namespace.isShared() || !namespace.database().equals(own.getName())) {
            throw new IllegalArgumentException("The DATABASE model needs the tenant's own database");
        }
    }

    @Override
    MongoDatabase rewrap(MongoDatabase options) {
        return new TenantDatabase(options, namespace);
    }

    @Override
    Bson checkCommand(Bson command) {
        return OwnedCommands.inOwnDatabase(command, physical.getCodecRegistry(), namespace);
    }

    @Override
    void dropOwned(@Nullable ClientSession session) {
        if (session == null) {
            physical.drop();
        } else {
            physical.drop(session);
        }
    }

    @Override
    ListCollectionNamesIterable listNames(@Nullable ClientSession session) {
        return bind(ListCollectionNamesIterable.class,
                session == null ? physical.listCollectionNames() : physical.listCollectionNames(session));
    }

    @Override
    <R> ListCollectionsIterable<R> collections(@Nullable ClientSession session, Class<R> resultClass) {
        return bind(ListCollectionsIterable.class, session == null ? physical.listCollections(resultClass)
                : physical.listCollections(session, resultClass));
    }

    @Override
    CreateCollectionOptions checkCreate(CreateCollectionOptions options) {
        return options;
    }

    @Override
    void checkDatabaseWide(String operation) {
        // The whole database is the tenant's: a database-level change stream or aggregation sees only its data.
    }
}
