package io.tenantry.mongo;

import com.mongodb.client.AggregateIterable;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateViewOptions;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What a tenant may not do with the database its FIELD placement shares with other tenants: drop
 * it, create views, aggregate or watch at database level. Each refusal says what to do instead.
 * See {@link FieldDatabase}.
 */
abstract class FieldDatabaseRefusals implements MongoDatabase {

    final FieldScope scope;

    FieldDatabaseRefusals(FieldScope scope) {
        this.scope = scope;
    }

    // ---- drop: refused

    @Override
    public void drop() {
        throw refuseDrop();
    }

    @Override
    public void drop(ClientSession clientSession) {
        throw refuseDrop();
    }

    private RuntimeException refuseDrop() {
        return scope.refuse("Dropping the database", "it is shared, and dropping it would delete every tenant's"
                + " data.", "To erase this tenant's data, drop() each of its collections (which removes this"
                + " tenant's documents only).");
    }

    // ---- views, database aggregate and watch: refused

    @Override
    public void createView(String viewName, String viewOn, List<? extends Bson> pipeline) {
        throw refuseView();
    }

    @Override
    public void createView(String viewName, String viewOn, List<? extends Bson> pipeline,
            CreateViewOptions createViewOptions) {
        throw refuseView();
    }

    @Override
    public void createView(ClientSession clientSession, String viewName, String viewOn,
            List<? extends Bson> pipeline) {
        throw refuseView();
    }

    @Override
    public void createView(ClientSession clientSession, String viewName, String viewOn, List<? extends Bson> pipeline,
            CreateViewOptions createViewOptions) {
        throw refuseView();
    }

    private RuntimeException refuseView() {
        return scope.refuse("createView", "a view on a shared collection would be shared by every tenant, and its"
                + " pipeline cannot be confined to one.", "Run its pipeline with getCollection(viewOn).aggregate(pipeline),"
                + " which Tenantry confines to the tenant.");
    }

    @Override
    public ChangeStreamIterable<Document> watch() {
        throw refuseWatch();
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(Class<R> resultClass) {
        throw refuseWatch();
    }

    @Override
    public ChangeStreamIterable<Document> watch(List<? extends Bson> pipeline) {
        throw refuseWatch();
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(List<? extends Bson> pipeline, Class<R> resultClass) {
        throw refuseWatch();
    }

    @Override
    public ChangeStreamIterable<Document> watch(ClientSession clientSession) {
        throw refuseWatch();
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, Class<R> resultClass) {
        throw refuseWatch();
    }

    @Override
    public ChangeStreamIterable<Document> watch(ClientSession clientSession, List<? extends Bson> pipeline) {
        throw refuseWatch();
    }

    @Override
    public <R> ChangeStreamIterable<R> watch(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        throw refuseWatch();
    }

    private RuntimeException refuseWatch() {
        return scope.refuse("Watching the database", "its events include every tenant's, in every collection.",
                "Watch each collection instead: getCollection(name).watch() delivers this tenant's events only.");
    }

    @Override
    public AggregateIterable<Document> aggregate(List<? extends Bson> pipeline) {
        throw refuseAggregate();
    }

    @Override
    public <R> AggregateIterable<R> aggregate(List<? extends Bson> pipeline, Class<R> resultClass) {
        throw refuseAggregate();
    }

    @Override
    public AggregateIterable<Document> aggregate(ClientSession clientSession, List<? extends Bson> pipeline) {
        throw refuseAggregate();
    }

    @Override
    public <R> AggregateIterable<R> aggregate(ClientSession clientSession, List<? extends Bson> pipeline,
            Class<R> resultClass) {
        throw refuseAggregate();
    }

    private RuntimeException refuseAggregate() {
        return scope.refuse("A database-level aggregate", "its stages ($currentOp, $listLocalSessions, $documents"
                + " feeding $lookup) see the whole server or every tenant's data.", "Aggregate on a collection:"
                + " getCollection(name).aggregate(pipeline), which Tenantry confines.");
    }
}
