package io.tenantry.spring.lifecycle;

import io.tenantry.LifecycleOperation;
import io.tenantry.TenantLifecycle;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Finishes or undoes, once all singletons exist and before the web server takes requests, every lifecycle
 * operation a crashed process left unfinished in the journal ({@link TenantLifecycle#recover()}): until then
 * its tenant is read-only or half-deleted. A recovery that fails stops the start-up, naming the operation.
 */
final class LifecycleRecoveryOnStartup implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleRecoveryOnStartup.class);

    private final TenantLifecycle lifecycle;

    LifecycleRecoveryOnStartup(TenantLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<LifecycleOperation> recovered = lifecycle.recover();
        for (LifecycleOperation op : recovered) {
            LOG.warn("Recovered the {} of tenant {} left unfinished by a stopped process: it ended {} ({})", op.kind(),
                    op.tenant(), op.step(), op.detail().isEmpty() ? "finished" : op.detail());
        }
    }
}
