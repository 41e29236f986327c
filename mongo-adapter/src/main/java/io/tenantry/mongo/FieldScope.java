package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * One tenant on one FIELD placement: the tenant, the rules of the tenant field and the shared
 * database. Everything a FIELD handle needs to confine a call, and the {@link PipelineScope} of its
 * aggregations (collections are shared, so a logical name is its own physical name). Immutable.
 */
final class FieldScope implements PipelineScope {

    final TenantId tenant;
    final FieldRules rules;
    private final String database;

    FieldScope(TenantId tenant, FieldRules rules, String database) {
        this.tenant = tenant;
        this.rules = rules;
        this.database = database;
    }

    /** Returns {@code {$and: [{field: tenant}, filter]}}, or the bare tenant condition for a null or empty filter. */
    BsonDocument filter(@Nullable Bson filter, CodecRegistry registry) {
        return rules.filter(tenant, filter, registry);
    }

    /** Returns the tenant condition {@code {field: tenant}}. */
    BsonDocument condition() {
        return rules.condition(tenant);
    }

    /** Returns the name of the tenant field. */
    String field() {
        return rules.field();
    }

    /**
     * Returns how iterables of a shared collection are bound: a later {@code filter(...)} is
     * confined like the first one, explain is refused (its statistics describe every tenant's
     * documents), a later sort or projection reads stored ids ({@link FieldIds#keys}), and
     * {@code refused} methods throw with their reason.
     */
    ScopedIterables.Policy policy(CodecRegistry registry, Map<String, String> refused) {
        return new ScopedIterables.Policy(tenant, filter -> filter(filter, registry), false, refused,
                keys -> FieldIds.keys(BsonCopies.document(keys, registry)));
    }

    /** Returns {@link #policy(CodecRegistry, Map)} without refused methods. */
    ScopedIterables.Policy policy(CodecRegistry registry) {
        return policy(registry, Map.of());
    }

    /** Returns {@code iterable} bound by {@link ScopedIterables#bind} to {@code policy}, keeping its type arguments. */
    static <I> I bind(Class<? super I> type, I iterable, ScopedIterables.Policy policy) {
        @SuppressWarnings("unchecked") // bind returns a proxy of type, delegating to iterable: the same type arguments
        I bound = (I) ScopedIterables.bind(type, iterable, policy);
        return bound;
    }

    /** Returns the pipeline confined to the tenant: see {@link PipelineConfinement}. */
    List<BsonDocument> confine(List<? extends Bson> pipeline, CodecRegistry registry) {
        return PipelineConfinement.confine(pipeline, this, registry);
    }

    @Override
    public String collection(String logical) {
        try {
            return TenantMongo.checkLogicalName(logical);
        } catch (IllegalArgumentException e) {
            throw new IsolationViolationException("A pipeline names collection \"" + logical + "\", which is not a"
                    + " tenant's collection: " + e.getMessage());
        }
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public BsonDocument tenantCondition() {
        return condition();
    }

    @Override
    public Ids ids() {
        return new Ids(rules.ids(), tenant);
    }

    @Override
    public boolean allowsOut() {
        return false;
    }

    /** Builds the exception of an operation the FIELD model refuses; {@code instead} says what to do. */
    IsolationViolationException refuse(String operation, String why, String instead) {
        return new IsolationViolationException(operation + " is refused for tenant \"" + tenant + "\" on the FIELD"
                + " model: " + why + " " + instead);
    }

    @Override
    public String toString() {
        return "FIELD scope of tenant " + tenant + " in database " + database + " (" + rules + ")";
    }
}
