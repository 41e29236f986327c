package io.tenantry.spring.mongo;

import io.tenantry.Placement;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantStatus;
import io.tenantry.mongo.TenantMongo;
import io.tenantry.spring.InvalidTenantryConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Creates, once all singletons exist and before the web server takes requests, the placement of
 * every catalogue tenant that is not deleted and is placed on a MongoDB cluster (the adapter's idempotent
 * {@link io.tenantry.mongo.MongoProvisioning#ensure}). A tenant that cannot be provisioned stops
 * the start-up: serving it would fail later, less clearly.
 */
final class ProvisioningOnStartup implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningOnStartup.class);

    private final TenantMongo mongo;

    ProvisioningOnStartup(TenantMongo mongo) {
        this.mongo = mongo;
    }

    @Override
    public void afterSingletonsInstantiated() {
        int count = 0;
        for (Tenant tenant : mongo.directory().list()) {
            if (tenant.status() == TenantStatus.DELETED) {
                continue;
            }
            try {
                if (!mongo.clusterNames().contains(mongo.placement(tenant.id()).store())) {
                    continue; // placed on another adapter's store (a PostgreSQL store, say)
                }
                Placement placement = mongo.provisioning().ensure(tenant.id());
                LOG.debug("Provisioned tenant {} at {}", tenant.id(), placement);
                count++;
            } catch (RoutingException e) {
                throw InvalidTenantryConfigurationException.unplaced(tenant, e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Could not provision tenant \"" + tenant.id() + "\" at start-up: "
                        + e.getMessage() + " Fix its placement, or set tenantry.mongodb.provision-on-startup=false"
                        + " and provision it with TenantMongo.provisioning().ensure(...).", e);
            }
        }
        LOG.info("Provisioned {} tenant placement(s) on MongoDB clusters {}", count, mongo.clusterNames());
    }
}
