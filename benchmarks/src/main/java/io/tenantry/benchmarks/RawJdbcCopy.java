package io.tenantry.benchmarks;

import io.tenantry.TenantDigest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * What a team writes by hand, with plain JDBC, to move one tenant's rows out of a shared table (a tenant
 * column, the FIELD model's layout) into an empty table of the same columns, without the tenant column, on
 * another server: one {@code SELECT} of the tenant's rows read through a server-side cursor
 * ({@code setFetchSize} in a transaction), written with batched {@code INSERT}s of the same size into the
 * target in one transaction. Values travel either {@link Values#TYPED typed} ({@code getObject} into
 * {@code setObject}, NULLs with the column's type) or as {@link Values#TEXT text} (as Tenantry's copy
 * does). And, for the comparison with a whole move, the same per-row digest as Tenantry's
 * ({@code JdbcTenantDataStore.digest}): SHA-256, computed by PostgreSQL, of the text of the array
 * {@code [name1, value1, ...]}, columns in code-point order of their names, under the same settings, summed
 * in a {@link TenantDigest}, so that the raw copy's digest can be checked against Tenantry's digest of the
 * source.
 */
final class RawJdbcCopy {

    /** How values travel from the source's result set to the target's insert. */
    enum Values {
        /** {@code getObject} into {@code setObject}, NULLs with the column's JDBC type. */
        TYPED,
        /** Read as {@code ::text} and bound as text of unspecified type, which the target column's input reads. */
        TEXT
    }

    /** The settings under which a value's text form is the one Tenantry's digest hashes. */
    private static final String DIGEST_SESSION = "SET TimeZone TO 'UTC'; SET IntervalStyle TO 'postgres';"
            + " SET extra_float_digits TO 1; SET bytea_output TO 'hex'";
    private static final int DIGEST_FETCH = 2000;

    private final DataSource source;
    private final DataSource target;
    private final String table;
    private final String tenantColumn;
    private final String tenant;
    private final List<String> columns;
    private final int batchSize;
    private final Values values;

    /**
     * @param source the shared database, as a role that row-level security does not apply to (an
     *     application without Tenantry has none)
     * @param target the target database, whose {@code table} exists and is empty
     * @param columns the table's columns as the tenant sees them (the tenant column left out)
     */
    RawJdbcCopy(DataSource source, DataSource target, String table, String tenantColumn, String tenant,
            List<String> columns, int batchSize, Values values) {
        this.source = source;
        this.target = target;
        this.table = table;
        this.tenantColumn = tenantColumn;
        this.tenant = tenant;
        this.columns = List.copyOf(columns);
        this.batchSize = batchSize;
        this.values = values;
    }

    /** Copies the tenant's rows; returns how many. */
    long copy() throws SQLException {
        String list = String.join(", ", columns);
        String read = "SELECT " + (values == Values.TEXT ? columns.stream().map(c -> c + "::text")
                .collect(Collectors.joining(", ")) : list) + " FROM " + table + " WHERE " + tenantColumn + " = ?";
        String write = "INSERT INTO " + table + " (" + list + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        long copied = 0;
        try (Connection in = source.getConnection(); Connection out = target.getConnection()) {
            in.setAutoCommit(false); // pgjdbc reads through a cursor only inside a transaction
            out.setAutoCommit(false);
            try (PreparedStatement select = in.prepareStatement(read);
                    PreparedStatement insert = out.prepareStatement(write)) {
                select.setFetchSize(batchSize);
                select.setString(1, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    int width = columns.size();
                    int[] types = new int[width + 1];
                    ResultSetMetaData meta = rows.getMetaData();
                    for (int i = 1; i <= width; i++) {
                        types[i] = values == Values.TEXT ? Types.OTHER : meta.getColumnType(i);
                    }
                    int batched = 0;
                    while (rows.next()) {
                        for (int i = 1; i <= width; i++) {
                            Object value = values == Values.TEXT ? rows.getString(i) : rows.getObject(i);
                            if (value == null) {
                                insert.setNull(i, types[i]);
                            } else if (values == Values.TEXT) {
                                insert.setObject(i, value, Types.OTHER);
                            } else {
                                insert.setObject(i, value);
                            }
                        }
                        insert.addBatch();
                        if (++batched == batchSize) {
                            insert.executeBatch();
                            copied += batched;
                            batched = 0;
                        }
                    }
                    if (batched > 0) {
                        insert.executeBatch();
                        copied += batched;
                    }
                }
            }
            out.commit();
            in.commit();
        }
        return copied;
    }

    /**
     * Copies the tenant's rows as {@link #copy} does, the same {@code SELECT} through the same cursor, but
     * writes them with one {@code COPY ... FROM STDIN} (text format) instead of batched {@code INSERT}s: each
     * value escaped by hand (backslash, newline, carriage return, tab; NULL as {@code \N}), a batch of rows
     * encoded as UTF-8 and sent with {@code writeToCopy}. Returns how many rows.
     */
    long copyWithCopyIn() throws SQLException {
        String read = "SELECT " + columns.stream().map(c -> c + "::text").collect(Collectors.joining(", ")) + " FROM "
                + table + " WHERE " + tenantColumn + " = ?";
        long copied = 0;
        try (Connection in = source.getConnection(); Connection out = target.getConnection()) {
            in.setAutoCommit(false);
            out.setAutoCommit(false);
            CopyIn copy = out.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " ("
                    + String.join(", ", columns) + ") FROM STDIN");
            try (PreparedStatement select = in.prepareStatement(read)) {
                select.setFetchSize(batchSize);
                select.setString(1, tenant);
                try (ResultSet rows = select.executeQuery()) {
                    StringBuilder batch = new StringBuilder();
                    int batched = 0;
                    while (rows.next()) {
                        for (int i = 1; i <= columns.size(); i++) {
                            if (i > 1) {
                                batch.append('\t');
                            }
                            String value = rows.getString(i);
                            if (value == null) {
                                batch.append("\\N");
                            } else {
                                for (int j = 0; j < value.length(); j++) {
                                    char c = value.charAt(j);
                                    switch (c) {
                                        case '\\' -> batch.append("\\\\");
                                        case '\n' -> batch.append("\\n");
                                        case '\r' -> batch.append("\\r");
                                        case '\t' -> batch.append("\\t");
                                        default -> batch.append(c);
                                    }
                                }
                            }
                        }
                        batch.append('\n');
                        if (++batched == batchSize) {
                            byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
                            copy.writeToCopy(bytes, 0, bytes.length);
                            copied += batched;
                            batched = 0;
                            batch.setLength(0);
                        }
                    }
                    byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    copied += batched;
                }
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            out.commit();
            in.commit();
        }
        return copied;
    }

    /**
     * Copies the tenant's rows with {@code COPY (SELECT ...) TO STDOUT} on the source, in a transaction,
     * piped chunk by chunk into {@code COPY ... FROM STDIN} on the target: no row is parsed in this JVM.
     * The fastest copy a hand-written loop can make with pgjdbc. Returns how many rows.
     */
    long pipeCopy() throws SQLException {
        long copied;
        try (Connection in = source.getConnection(); Connection out = target.getConnection()) {
            in.setAutoCommit(false);
            out.setAutoCommit(false);
            String list = String.join(", ", columns);
            CopyOut read = in.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT " + list + " FROM "
                    + table + " WHERE " + tenantColumn + " = '" + tenant.replace("'", "''") + "') TO STDOUT");
            CopyIn write = out.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + list
                    + ") FROM STDIN");
            try {
                for (byte[] chunk = read.readFromCopy(); chunk != null; chunk = read.readFromCopy()) {
                    write.writeToCopy(chunk, 0, chunk.length);
                }
                copied = write.endCopy();
            } finally {
                if (write.isActive()) {
                    write.cancelCopy();
                }
                if (read.isActive()) {
                    read.cancelCopy();
                }
            }
            out.commit();
            in.commit();
        }
        return copied;
    }

    /** Returns the digest of the tenant's rows in the shared source table. */
    TenantDigest digestSource() throws SQLException {
        return digest(source, " WHERE " + tenantColumn + " = ?");
    }

    /** Returns the digest of the rows of the target table, which holds the tenant's rows only. */
    TenantDigest digestTarget() throws SQLException {
        return digest(target, "");
    }

    private TenantDigest digest(DataSource database, String where) throws SQLException {
        String row = columns.stream().sorted().map(c -> "'" + c + "', " + c + "::text")
                .collect(Collectors.joining(", "));
        TenantDigest.Builder digest = TenantDigest.builder();
        try (Connection c = database.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(DIGEST_SESSION);
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("SELECT sha256(convert_to(CAST(ARRAY[" + row
                    + "]::text[] AS text), 'UTF8')) FROM " + table + where)) {
                p.setFetchSize(DIGEST_FETCH);
                if (!where.isEmpty()) {
                    p.setString(1, tenant);
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        digest.add(table, r.getBytes(1));
                    }
                }
            }
            c.commit();
        }
        return digest.build();
    }
}
