package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.lang.reflect.Proxy;
import java.util.Objects;
import org.bson.Document;

/**
 * Opens a collection of the control plane (the directory's database: audit log, usage history, lifecycle
 * journal, quota ledger), refusing a Tenantry tenant handle, which would route the control plane's documents
 * into each tenant's data. Stateless.
 */
final class ControlPlaneCollections {

    private ControlPlaneCollections() {
    }

    /** Whether {@code database} is one of Tenantry's tenant handles (routing or scoped). */
    static boolean isTenantHandle(MongoDatabase database) {
        return database instanceof OwnedDatabase || database instanceof FieldDatabase
                || (Proxy.isProxyClass(database.getClass())
                        && Proxy.getInvocationHandler(database).getClass().getName().startsWith("io.tenantry."));
    }

    /**
     * Returns collection {@code collection} of {@code controlPlane}, with the default codecs.
     *
     * @param what what keeps its documents there, as the start of a sentence ("The quota ledger")
     * @param durable why every write must be acknowledged, completing "{@code what} must ..."
     * @throws IllegalArgumentException if {@code controlPlane} is a Tenantry tenant handle, its write concern
     *     is unacknowledged, or the name is invalid
     */
    static MongoCollection<Document> open(MongoDatabase controlPlane, String collection, String what,
            String durable) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        if (isTenantHandle(controlPlane)) {
            throw new IllegalArgumentException(what + " needs a plain control-plane database from a MongoClient"
                    + " (client.getDatabase(\"control\")), not a Tenantry handle, which belongs to one tenant.");
        }
        if (!controlPlane.getWriteConcern().isAcknowledged()) {
            throw new IllegalArgumentException(what + " must " + durable + ", but database \"" + controlPlane.getName()
                    + "\" has the unacknowledged write concern " + controlPlane.getWriteConcern()
                    + "; pass controlPlane.withWriteConcern(WriteConcern.MAJORITY).");
        }
        String name = TenantMongo.checkLogicalName(collection);
        return controlPlane.withCodecRegistry(MongoClientSettings.getDefaultCodecRegistry()).getCollection(name);
    }
}
