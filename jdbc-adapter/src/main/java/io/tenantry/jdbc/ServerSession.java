package io.tenantry.jdbc;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;

/**
 * One physical connection's server session, as Tenantry tracks it across checkouts: the driver's
 * connection (for its transaction state) and which tenant's role and schema the session points at,
 * if it was returned without a reset. Implemented by the wrapper {@link ConnectionBudget} puts around
 * every connection it opens, and reached through HikariCP with {@code unwrap(ServerSession.class)}.
 */
interface ServerSession {

    /** Returns the driver's connection. */
    BaseConnection driver();

    /** Returns the role-and-schema key the session points at, or null for the login role and the empty schema. */
    @Nullable String pointsAt();

    /** Records what the session points at now. */
    void pointsAt(@Nullable String key);
}
