package io.tenantry.spring.jdbc;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spi.TenantSwitchGuard;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Refuses to bind another tenant (or a system scope) on a thread that holds a transaction or an open
 * persistence context on Tenantry's routing {@code DataSource}. Such a thread keeps the connection it took
 * for the first tenant, and JPA keeps that tenant's entities in its persistence context: work for a second
 * tenant there would run on the first tenant's connection, or be served the first tenant's cached
 * entities. Failing at the switch names the mistake where it is made.
 *
 * <p>Registered with {@link TenantContext#addSwitchGuard} while the application context runs.
 */
final class TransactionTenantGuard implements TenantSwitchGuard, InitializingBean, DisposableBean {

    private static final boolean JPA = ClassUtils.isPresent(
            "org.springframework.orm.jpa.EntityManagerFactoryInfo", TransactionTenantGuard.class.getClassLoader());

    private final DataSource routing;
    private @Nullable Registration registration;

    TransactionTenantGuard(DataSource routing) {
        this.routing = routing;
    }

    @Override
    public void afterPropertiesSet() {
        registration = TenantContext.addSwitchGuard(this);
    }

    @Override
    public void destroy() {
        if (registration != null) {
            registration.close();
        }
    }

    @Override
    public void check(TenantId bound, @Nullable TenantId next, @Nullable String systemReason) {
        if (!holdsTenantResource()) {
            return;
        }
        String what = TransactionSynchronizationManager.isActualTransactionActive() ? "a transaction"
                : "an open persistence context";
        throw new IsolationViolationException("This thread holds " + what + " on Tenantry's DataSource for tenant \""
                + bound + "\", and " + (next != null ? "tenant \"" + next + "\"" : "a system scope (\"" + systemReason
                + "\")") + " cannot be bound inside it: it would run on " + bound + "'s connection and see its cached"
                + " entities. Bind the other tenant outside the transaction: after it commits, or from code that is"
                + " not @Transactional (for example TenantFanOut over several tenants, each in its own transaction)."
                + (what.startsWith("an open") ? " With JPA in a web request, spring.jpa.open-in-view=false ends the"
                        + " persistence context with each transaction." : ""));
    }

    private boolean holdsTenantResource() {
        Map<Object, Object> resources = TransactionSynchronizationManager.getResourceMap();
        if (resources.isEmpty()) {
            return false;
        }
        if (resources.containsKey(routing)) {
            return true;
        }
        if (JPA) {
            for (Object key : resources.keySet()) {
                if (key instanceof org.springframework.orm.jpa.EntityManagerFactoryInfo info
                        && info.getDataSource() == routing) {
                    return true;
                }
            }
        }
        return false;
    }
}
