package io.tenantry.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU time of the PostgreSQL servers on this machine, read from Linux's {@code /proc}: each
 * postmaster's own time and that of the backends it has reaped ({@code cutime}, {@code cstime}), plus that
 * of its processes alive now (backends, checkpointer, WAL writer, autovacuum), from its {@code children}
 * list. In clock ticks of 10 ms (Linux's {@code USER_HZ}), per process. Servers elsewhere count 0. For one
 * thread at a time.
 */
final class PostgresServerCpu {

    private static final long NANOS_PER_TICK = 10_000_000;

    private final List<Long> postmasters = new ArrayList<>();

    PostgresServerCpu(List<BenchPostgres> servers) throws SQLException {
        for (BenchPostgres server : servers) {
            if (!server.isLocal()) {
                continue;
            }
            try (Connection c = server.superuser("postgres").getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                long postmaster = stat(r.getLong(1))[1]; // read while the backend lives
                if (!postmasters.contains(postmaster)) {
                    postmasters.add(postmaster);
                }
            }
        }
    }

    /** Returns the servers' CPU nanoseconds so far. */
    long nanos() {
        long ticks = 0;
        for (long postmaster : postmasters) {
            ticks += ticks(postmaster);
        }
        return ticks * NANOS_PER_TICK;
    }

    /**
     * Returns the ticks of one postmaster and its children. A backend that ends is reaped into the
     * postmaster's {@code cutime} at any moment, often right as a run ends and closes its connections: if
     * that happens between reading the postmaster and reading its children, the reading would miss the
     * backend, so it is taken again until the postmaster's reaped time stayed the same throughout.
     */
    private static long ticks(long postmaster) {
        while (true) {
            long[] before = stat(postmaster);
            long sum = before[11] + before[12] + before[13] + before[14];
            String children;
            try {
                children = Files.readString(Path.of("/proc", Long.toString(postmaster), "task",
                        Long.toString(postmaster), "children")).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String child : children.isEmpty() ? new String[0] : children.split(" ")) {
                long[] stat = stat(Long.parseLong(child));
                if (stat.length > 14) {
                    sum += stat[11] + stat[12] + stat[13] + stat[14];
                }
            }
            long[] after = stat(postmaster);
            if (after[13] == before[13] && after[14] == before[14]) {
                return sum;
            }
        }
    }

/**
     * Returns the numeric fields of {@code /proc/<pid>/stat} from the third on (state as 0): [1] is the
     * parent, [11] to [14] user, system, reaped children's user and system time; empty if it has exited.
     */
    private static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return new long[0];
        }
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        long[] numbers = new long[Math.min(fields.length, 15)];
        for (int i = 1; i < numbers.length; i++) {
            numbers[i] = Long.parseLong(fields[i]);
        }
        return numbers;
    }
}
