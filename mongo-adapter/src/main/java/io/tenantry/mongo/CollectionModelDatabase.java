package io.tenantry.mongo;

import com.mongodb.client.ClientSession;
import com.mongodb.client.ListCollectionNamesIterable;
import com.mongodb.client.ListCollectionsIterable;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The COLLECTION model's view of the shared database: the tenant's collections only, under their
 * logical names ({@code cards} is {@code acme.cards} on the server).
 *
 * <ul>
 *   <li>{@code listCollectionNames}/{@code listCollections} list only the tenant's collections,
 *       renamed back to logical names;
 *   <li>{@code drop()} drops the tenant's collections and views, and nothing else;
 *   <li>{@code runCommand} allows only {@link OwnedCommands#HARMLESS} commands;
 *   <li>database-level {@code watch} and {@code aggregate} are refused: they would see every
 *       tenant's collections;
 *   <li>queryable encryption ({@code encryptedFields}) is refused: its state collections would be
 *       named outside the tenant's names.
 * </ul>
 *
 * <p>{@link #getName()} returns the shared database's name. Thread-safe.
 */
final class CollectionModelDatabase extends OwnedDatabase {

    CollectionModelDatabase(MongoDatabase shared, OwnedNamespace namespace) {
        super(shared, namespace);
        if (!namespace.isShared()) {
            throw new IllegalArgumentException("The COLLECTION model needs a shared namespace");
        }
    }

    @Override
    MongoDatabase rewrap(MongoDatabase options) {
        return new CollectionModelDatabase(options, namespace);
    }

    @Override
    Bson checkCommand(Bson command) {
        return OwnedCommands.inSharedDatabase(command, physical.getCodecRegistry());
    }

    @Override
    void dropOwned(@Nullable ClientSession session) {
        BsonDocument owned = CollectionNameFilter.ownedOnly(new BsonDocument(), namespace);
        ListCollectionNamesIterable names = session == null ? physical.listCollectionNames()
                : physical.listCollectionNames(session);
        List<String> physicalNames = names.filter(owned).into(new ArrayList<>());
        for (String name : physicalNames) {
            // Shortened names Tenantry cannot map back are the tenant's too: they start with its id.
            if (namespace.owns(name)) {
                if (session == null) {
                    physical.getCollection(name).drop();
                } else {
                    physical.getCollection(name).drop(session);
                }
            }
        }
    }

    @Override
    ListCollectionNamesIterable listNames(@Nullable ClientSession session) {
        return bind(ListCollectionNamesIterable.class, SharedDatabaseListings.names(physical, session, namespace));
    }

    @Override
    <R> ListCollectionsIterable<R> collections(@Nullable ClientSession session, Class<R> resultClass) {
        return bind(ListCollectionsIterable.class,
                SharedDatabaseListings.collections(physical, session, namespace, resultClass));
    }

    @Override
    CreateCollectionOptions checkCreate(CreateCollectionOptions options) {
        if (options.getEncryptedFields() != null) {
            throw new IsolationViolationException("encryptedFields is refused on the COLLECTION model: queryable"
                    + " encryption keeps state collections whose names Tenantry does not confine to the tenant. Place"
                    + " tenants that need it on the DATABASE model.");
        }
        return options;
    }

    @Override
    void checkDatabaseWide(String operation) {
        throw new IsolationViolationException("The database-level " + operation + "(...) is refused on the COLLECTION"
                + " model: the shared database \"" + physical.getName() + "\" holds other tenants' collections too."
                + " Call " + operation + "(...) on one of the tenant's collections instead, or place the tenant on the"
                + " DATABASE model.");
    }
}
