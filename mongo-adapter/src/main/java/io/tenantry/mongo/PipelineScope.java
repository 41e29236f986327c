package io.tenantry.mongo;

import org.bson.BsonDocument;
import org.jspecify.annotations.Nullable;

/**
 * How one isolation model confines a pipeline's references to other collections, as
 * {@link PipelineConfinement} needs it. Implemented by the callers of the rewrite engine, one per
 * tenant and model; implementations must be immutable (or at least stable while a pipeline is being
 * confined).
 */
interface PipelineScope {

    /**
     * Returns the physical name of logical collection {@code logical} in the same database, for
     * {@code $lookup}, {@code $graphLookup}, {@code $unionWith}, {@code $merge} and {@code $out}.
     *
     * @throws io.tenantry.IsolationViolationException if the model forbids referencing it
     */
    String collection(String logical);

    /**
     * Returns the physical database name the pipeline runs in: a stage that names another database
     * ({@code {db: ..., coll: ...}}) is refused unless it names this one.
     */
    String database();

    /**
     * FIELD model: the tenant condition {@code {field: tenantValue}} that every document read from
     * any collection must match, and that every written document must carry; null for the
     * COLLECTION and DATABASE models, whose collections hold one tenant's documents only. The
     * engine copies the condition wherever it uses it, and never mutates it.
     */
    @Nullable BsonDocument tenantCondition();

    /**
     * FIELD model: how ids are stored with the tenant, so that the pipeline unwraps them after the
     * tenant condition and wraps them again before a {@code $merge}; null for the other models.
     */
    default @Nullable Ids ids() {
        return null;
    }

    /** The FIELD model's ids of one tenant: {@link FieldIds} bound to the tenant. */
    record Ids(FieldIds ids, io.tenantry.TenantId tenant) {

        /** Returns {@code filter} rewritten for stored ids. */
        BsonDocument filter(BsonDocument filter) {
            return ids.filter(tenant, filter);
        }

        /** Returns the stage that wraps ids again before a {@code $merge}. */
        BsonDocument wrapStage() {
            return ids.wrapStage(tenant);
        }
    }

    /** Whether {@code $out} is allowed (false for FIELD: {@code $out} replaces a whole shared collection). */
    boolean allowsOut();
}
