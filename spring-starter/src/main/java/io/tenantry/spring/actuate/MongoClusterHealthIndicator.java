package io.tenantry.spring.actuate;

import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Pings one MongoDB cluster of Tenantry's ({@code ping} on {@code admin}, which touches no tenant's data). */
final class MongoClusterHealthIndicator extends AbstractHealthIndicator {

    private static final Document PING = new Document("ping", 1);

    private final MongoClient client;

    MongoClusterHealthIndicator(MongoClient client) {
        super("MongoDB cluster health check failed");
        this.client = client;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        client.getDatabase("admin").runCommand(PING);
        builder.up();
    }
}
