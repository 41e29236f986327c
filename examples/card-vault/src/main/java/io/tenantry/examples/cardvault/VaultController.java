package io.tenantry.examples.cardvault;

import io.tenantry.Placement;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.mongo.TenantMongo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells the caller whose vault this is and where it lives: handy when trying the tiers out. */
@RestController
class VaultController {

    private final TenantMongo mongo;

    VaultController(TenantMongo mongo) {
        this.mongo = mongo;
    }

    @GetMapping("/api/vault")
    Map<String, String> vault() {
        TenantId tenant = TenantContext.current();
        Placement placement = mongo.placement(tenant);
        Map<String, String> vault = new LinkedHashMap<>();
        vault.put("tenant", tenant.value());
        vault.put("tier", mongo.directory().require(tenant).tier());
        vault.put("model", placement.model().name());
        vault.put("cluster", placement.store());
        vault.put("database", mongo.databaseName(tenant));
        return vault;
    }
}
