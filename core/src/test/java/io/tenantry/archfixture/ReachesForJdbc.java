package io.tenantry.archfixture;

import java.sql.Connection;

/** A core-looking class that breaks the layering, for proving the architecture rules can fail. */
public final class ReachesForJdbc {

    private ReachesForJdbc() {
    }

    public static boolean isOpen(Connection connection) throws java.sql.SQLException {
        return !connection.isClosed();
    }
}
