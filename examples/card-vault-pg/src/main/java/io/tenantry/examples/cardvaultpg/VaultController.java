package io.tenantry.examples.cardvaultpg;

import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.jdbc.TenantJdbc;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells the caller whose vault this is and where it lives: handy when trying the tiers out. */
@RestController
class VaultController {

    private final TenantJdbc jdbc;

    VaultController(TenantJdbc jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping({"/api/vault", "/t/{tenant}/api/vault"})
    Map<String, Object> vault() {
        Tenant tenant = jdbc.directory().require(TenantContext.current());
        Placement placement = jdbc.placement(tenant.id());
        Map<String, Object> vault = new LinkedHashMap<>();
        vault.put("tenant", tenant.id().value());
        vault.put("name", tenant.name());
        vault.put("tier", tenant.tier());
        vault.put("isolation", isolation(placement));
        vault.put("database", jdbc.databaseName(tenant.id()));
        jdbc.schemaName(tenant.id()).ifPresent(schema -> vault.put("schema", schema));
        return vault;
    }

    /** Tenantry's isolation model in PostgreSQL's words: its COLLECTION model is a schema per tenant here. */
    static String isolation(Placement placement) {
        return switch (placement.model()) {
            case FIELD -> "shared tables";
            case COLLECTION -> "schema per tenant";
            case DATABASE -> "database per tenant";
        };
    }
}
