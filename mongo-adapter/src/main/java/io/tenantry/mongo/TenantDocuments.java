package io.tenantry.mongo;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * How {@link MongoTenantDirectory} stores a {@link Tenant}: one document per tenant, its id as
 * {@code _id}.
 *
 * <pre>{@code
 * {_id: "acme", name: "Acme", status: "ACTIVE", tier: "enterprise",
 *  placement: {model: "DATABASE", store: "dedicated", namespace: "cv_"},   // absent when not pinned
 *  region: "eu",                                                          // absent when none
 *  attributes: [{key: "plan", value: "gold"}],
 *  createdAt: ISODate(...), updatedAt: ISODate(...), version: NumberLong(3)}
 * }</pre>
 *
 * <p>Attributes are a list of pairs rather than a sub-document, so that keys containing {@code .}
 * or starting with {@code $} are stored as they are. Timestamps are BSON dates, which hold
 * milliseconds. Stateless.
 */
final class TenantDocuments {

    static final String ID = "_id";
    static final String VERSION = "version";
    static final String CREATED_AT = "createdAt";

    private TenantDocuments() {
    }

    /** Returns the stored form of {@code tenant}. */
    static Document toDocument(Tenant tenant) {
        Document document = new Document(ID, tenant.id().value());
        document.putAll(fields(tenant));
        document.put(CREATED_AT, Date.from(tenant.createdAt()));
        document.put(VERSION, tenant.version());
        return document;
    }

    /**
     * Returns the fields an update replaces: all but {@code _id}, {@code createdAt} and {@code version}.
     * Pinned placement and region are null when absent, so that an update can remove them.
     */
    static Document fields(Tenant tenant) {
        Document fields = new Document("name", tenant.name())
                .append("status", tenant.status().name())
                .append("tier", tenant.tier())
                .append("placement", tenant.placement().map(TenantDocuments::placement).orElse(null))
                .append("region", tenant.region().orElse(null));
        List<Document> attributes = new ArrayList<>();
        for (Map.Entry<String, String> attribute : tenant.attributes().entrySet()) {
            attributes.add(new Document("key", attribute.getKey()).append("value", attribute.getValue()));
        }
        fields.append("attributes", attributes).append("updatedAt", Date.from(tenant.updatedAt()));
        return fields;
    }

    /**
     * Reads a stored tenant.
     *
     * @throws IllegalStateException if the document is not a stored tenant
     */
    static Tenant toTenant(Document document) {
        try {
            Tenant.Builder builder = Tenant.builder(TenantId.of(document.getString(ID)))
                    .name(document.getString("name"))
                    .status(TenantStatus.valueOf(document.getString("status")))
                    .tier(document.getString("tier"))
                    .region(document.getString("region"))
                    .createdAt(document.getDate(CREATED_AT).toInstant())
                    .updatedAt(document.getDate("updatedAt").toInstant())
                    .version(document.get(VERSION, Number.class).longValue());
            Document placement = document.get("placement", Document.class);
            if (placement != null) {
                builder.placement(placement(placement));
            }
            for (Document attribute : document.getList("attributes", Document.class, List.of())) {
                builder.attribute(attribute.getString("key"), attribute.getString("value"));
            }
            return builder.build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Tenant document " + document.get(ID) + " is not in the form"
                    + " MongoTenantDirectory writes: " + e.getMessage(), e);
        }
    }

    /** Returns the instant as it comes back from the store: BSON dates hold milliseconds. */
    static Instant stored(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }

    private static Document placement(Placement placement) {
        return new Document("model", placement.model().name()).append("store", placement.store())
                .append("namespace", placement.namespace());
    }

    private static Placement placement(Document document) {
        return Placement.of(IsolationModel.valueOf(document.getString("model")), document.getString("store"),
                document.getString("namespace"));
    }
}
