package io.tenantry.jdbc;

import io.tenantry.TenantArchive;
import io.tenantry.TenantLifecycleException;
import io.tenantry.jdbc.PlacedTables.Column;
import io.tenantry.jdbc.PlacedTables.Table;
import io.tenantry.spi.TenantDataStore.CopyProgress;
import io.tenantry.spi.TenantDataStore.ResourceReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Copies one table of one tenant between two placements, or loads it from an archive, for
 * {@link JdbcTenantDataStore}, in batches whose size adapts to the rows: the source is read through pgjdbc's
 * cursor (a {@code SELECT} with a fetch size, in the source's snapshot transaction), and the rows go to a
 * {@link TableWriter} in the target's transaction: {@code COPY FROM STDIN} for the schema and database
 * models, batched {@code INSERT}s for the FIELD model's shared tables. A batch holds at most
 * {@code batchRows} rows and, once the widest row is known, about {@value #BATCH_CHARS} characters of
 * values, so memory holds one batch whatever the tenant's size.
 *
 * <p>Values travel as text: read with {@code ::text} (the type's output function, under
 * {@link PlacedTables#SESSION}'s canonical settings) and written as text that PostgreSQL reads with the
 * target column's input function. Every built-in type reads back exactly what it printed ({@code numeric}
 * with its scale, {@code timestamptz} to the microsecond, {@code jsonb}, {@code bytea}, arrays,
 * {@code uuid}, NULLs), and the target need not have the very same type, only one that reads the text.
 *
 * <p>Stateless.
 */
final class TableCopy {

    /** About how many characters of values a batch holds once rows are known to be wide. */
    static final int BATCH_CHARS = 4 * 1024 * 1024;

    /** The rows of the first fetch, before the width of a row is known. */
    private static final int FIRST_FETCH = 16;

    private TableCopy() {
    }

    /**
     * Copies the tenant's rows of {@code from}'s table to {@code to}'s table of the same name, then moves
     * the target's sequences (serial and identity columns) past what was copied. {@code source} must be in
     * its snapshot transaction (auto-commit off), where pgjdbc reads through a cursor.
     *
     * @return the number of rows copied
     */
    static long copy(PlacedTables from, Connection source, Table sourceTable, PlacedTables to, Connection target,
            Table targetTable, int batchRows, CopyProgress progress) throws SQLException {
        List<Column> columns = targetTable.written();
        String select = "SELECT " + columns.stream().map(c -> JdbcNames.quote(c.name()) + "::text")
                .collect(Collectors.joining(", ")) + " FROM " + from.rowsOf(sourceTable);
        long copied = 0;
        int batch = Math.min(FIRST_FETCH, batchRows);
        try (PreparedStatement read = source.prepareStatement(select);
                TableWriter write = TableWriter.open(to, target, targetTable, columns, progress)) {
            read.setFetchSize(batch);
            try (ResultSet r = read.executeQuery()) {
                String[] values = new String[columns.size()];
                while (r.next()) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = r.getString(i + 1);
                    }
                    write.add(values);
                    if (write.pending() >= batch) {
                        copied += write.flush();
                        batch = write.nextBatch(batchRows);
                        r.setFetchSize(batch);
                    }
                }
            }
            copied += write.flush();
            write.finish();
        }
        for (Column column : targetTable.columns()) {
            String sequence = column.sequence();
            if (sequence != null) {
                Column before = sourceTable.columns().stream().filter(c -> c.name().equals(column.name())).findFirst()
                        .orElse(null);
                advance(to, target, targetTable, column, sequence, before == null ? null : lastValue(source, before));
            }
        }
        return copied;
    }

    /**
     * Writes the rows of an archive's resource into {@code to}'s table of the same name, in batches as a copy
     * does, then moves the table's sequences past the largest value written.
     *
     * @param fields the archive's columns, in the order of each line's values; the same names as the table's
     *     written columns
     * @return the number of rows written
     * @throws TenantLifecycleException naming the line, for a line that is not a row of {@code fields}
     */
    static long load(PlacedTables to, Connection target, Table table, List<String> fields, ResourceReader in,
            String file, int batchRows, CopyProgress progress) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (String field : fields) {
            columns.add(table.columns().stream().filter(c -> c.name().equals(field)).findFirst().orElseThrow());
        }
        long loaded = 0;
        try (TableWriter write = TableWriter.open(to, target, table, columns, progress)) {
            String[] values = new String[columns.size()];
            int batch = Math.min(FIRST_FETCH, batchRows);
            for (String line = in.next(); line != null; line = in.next()) {
                loaded++;
                List<@Nullable String> row;
                try {
                    row = TenantArchive.decodeRow(line);
                } catch (IllegalArgumentException e) {
                    throw new TenantLifecycleException("Line " + loaded + " of " + file + " (table \"" + table.name()
                            + "\") is not a row: " + e.getMessage(), e);
                }
                if (row.size() != values.length) {
                    throw new TenantLifecycleException("Line " + loaded + " of " + file + " (table \"" + table.name()
                            + "\") has " + row.size() + " value(s); the manifest names " + values.length + " field(s).");
                }
                write.add(row.toArray(values));
                if (write.pending() >= batch) {
                    write.flush();
                    batch = write.nextBatch(batchRows);
                }
            }
            write.finish();
        }
        for (Column column : table.columns()) {
            if (column.sequence() != null) {
                advance(to, target, table, column, column.sequence(), null);
            }
        }
        return loaded;
    }

    /** The last value the source's sequence of {@code column} gave, or null if it has none or gave none. */
    private static @Nullable Long lastValue(Connection source, Column column) throws SQLException {
        if (column.sequence() == null) {
            return null;
        }
        try (Statement s = source.createStatement();
                ResultSet r = s.executeQuery("SELECT last_value, is_called FROM " + column.sequence())) {
            return r.next() && r.getBoolean(2) ? r.getLong(1) : null;
        }
    }

    /**
     * Sets the target's sequence past both the largest value copied and the source sequence's last value,
     * so that the tenant's next insert neither collides with a copied row nor reuses a number it was given.
     */
    private static void advance(PlacedTables to, Connection target, Table table, Column column, String sequence,
            @Nullable Long sourceLast) throws SQLException {
        Long largest = null;
        try (Statement s = target.createStatement(); ResultSet r = s.executeQuery("SELECT max("
                + JdbcNames.quote(column.name()) + ")::bigint FROM " + to.rowsOf(table))) {
            if (r.next()) {
                long value = r.getLong(1);
                largest = r.wasNull() ? null : value;
            }
        }
        long next;
        if (largest != null && sourceLast != null) {
            next = Math.max(largest, sourceLast);
        } else if (largest != null) {
            next = largest;
        } else if (sourceLast != null) {
            next = sourceLast;
        } else {
            return; // nothing copied, nothing drawn
        }
        try (PreparedStatement p = target.prepareStatement("SELECT pg_catalog.setval(s.seqrelid, GREATEST(?, s.seqmin),"
                + " ? >= s.seqmin) FROM pg_catalog.pg_sequence s WHERE s.seqrelid = CAST(? AS regclass)")) {
            p.setLong(1, next);
            p.setLong(2, next);
            p.setString(3, sequence);
            p.executeQuery().close();
        }
    }
}
