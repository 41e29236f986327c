package io.tenantry.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time the PostgreSQL backends of each side have used, read from Linux's
 * {@code /proc/<pid>/schedstat} (nanoseconds on CPU), so that the report can say how much of a
 * difference is work in the server and how much is waiting. The raw side's backends are told apart
 * by their {@code application_name}; every other client backend is Tenantry's (the harness runs
 * nothing else during a measurement). Only for a server on this machine (the embedded one); elsewhere
 * {@link #available()} is false and every reading is 0.
 */
final class BackendCpu implements AutoCloseable {

    private final Connection monitor;
    private final boolean available;
    private Map<String, List<Path>> backends = Map.of();

    BackendCpu(BenchPostgres server) throws SQLException {
        // as the superuser: pg_stat_activity hides the application_name of other roles' sessions (the raw
        // side's role on the FIELD models) from anyone else
        this.monitor = server.superuser("postgres").getConnection();
        this.available = server.isLocal() && Files.isReadable(Path.of("/proc/self/schedstat"));
    }

    boolean available() {
        return available;
    }

    /** Finds the backends of each side again; pools open and retire connections between rounds. */
    void refresh() throws SQLException {
        if (!available) {
            return;
        }
        Map<String, List<Path>> found = new HashMap<>();
        // Tenantry's schema-model sessions lose their application_name to the RESET ALL of a switch or
        // reset, so every client backend but the raw side's and this one counts as Tenantry's.
        try (Statement s = monitor.createStatement();
                ResultSet r = s.executeQuery("SELECT pid, application_name = '" + JdbcWorkload.RAW_APPLICATION
                        + "' FROM pg_stat_activity"
                        + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            while (r.next()) {
                String side = r.getBoolean(2) ? JdbcWorkload.RAW_APPLICATION : JdbcWorkload.TENANTRY_APPLICATION;
                found.computeIfAbsent(side, k -> new ArrayList<>())
                        .add(Path.of("/proc", Integer.toString(r.getInt(1)), "schedstat"));
            }
        }
        backends = found;
    }

    /**
     * Returns the CPU nanoseconds used so far by each backend of {@code applicationName} as last found,
     * -1 for one that has exited; {@link #delta} compares two readings taken between the same refreshes.
     */
    long[] read(String applicationName) {
        List<Path> paths = backends.getOrDefault(applicationName, List.of());
        long[] nanos = new long[paths.size()];
        for (int i = 0; i < nanos.length; i++) {
            try {
                String line = Files.readString(paths.get(i));
                nanos[i] = Long.parseLong(line.substring(0, line.indexOf(' ')));
            } catch (IOException | RuntimeException e) {
                nanos[i] = -1; // the backend exited: a pool retired the connection
            }
        }
        return nanos;
    }

    /** Returns the CPU nanoseconds between two readings, over the backends alive at both. */
    static long delta(long[] before, long[] after) {
        long sum = 0;
        for (int i = 0; i < Math.min(before.length, after.length); i++) {
            if (before[i] >= 0 && after[i] >= 0) {
                sum += after[i] - before[i];
            }
        }
        return sum;
    }

    @Override
    public void close() throws SQLException {
        monitor.close();
    }
}
