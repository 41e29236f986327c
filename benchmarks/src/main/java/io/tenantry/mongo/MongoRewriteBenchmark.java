package io.tenantry.mongo;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tenantry.TenantId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure rewrite cost the FIELD model adds to a call, without any I/O: confining a filter,
 * checking an update, confining an aggregation pipeline with a {@code $lookup}. It lives in the
 * adapter's package to reach the package-private rewrite engine.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MongoRewrite -f 1 -wi 3 -w 1 -i 5 -r 1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MongoRewriteBenchmark {

    private final CodecRegistry registry = MongoClientSettings.getDefaultCodecRegistry();
    private final TenantId tenant = TenantId.of("acme");
    private final FieldRules rules = new FieldRules("tenantId");
    private final FieldScope scope = new FieldScope(tenant, rules, "cardvault");
    private final Bson filter = Filters.and(Filters.eq("set", "base"), Filters.gte("qty", 2),
            Filters.in("rarity", "rare", "holo"));
    private final Bson update = Updates.combine(Updates.set("name", "pikachu"), Updates.inc("qty", 1),
            Updates.push("tags", "traded"));
    private final List<Bson> pipeline = List.of(
            new Document("$match", new Document("qty", new Document("$gte", 2))),
            new Document("$lookup", new Document("from", "binders").append("localField", "binder")
                    .append("foreignField", "_id").append("as", "binder")),
            new Document("$group", new Document("_id", "$set").append("n", new Document("$sum", 1))),
            new Document("$sort", new Document("n", -1)));

    @Benchmark
    public BsonDocument confineFilter() {
        return rules.filter(tenant, filter, registry);
    }

    @Benchmark
    public BsonDocument checkUpdate() {
        return rules.checkUpdate(update, registry);
    }

    @Benchmark
    public List<BsonDocument> confinePipeline() {
        return PipelineConfinement.confine(pipeline, scope, registry);
    }

    @Benchmark
    public BsonDocument stampInsertedDocument() {
        return rules.stamp(tenant, new BsonDocument("name", new org.bson.BsonString("pikachu"))
                .append("qty", new org.bson.BsonInt32(3)));
    }
}
