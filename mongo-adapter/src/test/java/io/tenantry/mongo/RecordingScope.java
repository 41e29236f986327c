package io.tenantry.mongo;

import io.tenantry.IsolationViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PipelineScope} for tests: maps logical collection {@code c} to {@code acme__c}, runs in
 * database {@code app}, and records every logical name it was asked to map.
 */
final class RecordingScope implements PipelineScope {

    static final String PREFIX = "acme__";
    static final String DATABASE = "app";

    private final boolean field;
    private final Set<String> forbidden;
    final List<String> requested = new ArrayList<>();

    private RecordingScope(boolean field, Set<String> forbidden) {
        this.field = field;
        this.forbidden = forbidden;
    }

    /** The FIELD model for tenant {@code acme} with tenant field {@code tenantId}. */
    static RecordingScope field() {
        return new RecordingScope(true, Set.of());
    }

    /** The COLLECTION model (no tenant condition, $out allowed). */
    static RecordingScope collection() {
        return new RecordingScope(false, Set.of());
    }

    /** The FIELD model, refusing to map the given logical names. */
    static RecordingScope fieldForbidding(String... names) {
        return new RecordingScope(true, Set.of(names));
    }

    static BsonDocument condition() {
        return new BsonDocument("tenantId", new BsonString("acme"));
    }

    @Override
    public String collection(String logical) {
        if (forbidden.contains(logical)) {
            throw new IsolationViolationException("collection '" + logical + "' is not tenant data");
        }
        requested.add(logical);
        return PREFIX + logical;
    }

    @Override
    public String database() {
        return DATABASE;
    }

    @Override
    public @Nullable BsonDocument tenantCondition() {
        return field ? condition() : null;
    }

    @Override
    public boolean allowsOut() {
        return !field;
    }
}
