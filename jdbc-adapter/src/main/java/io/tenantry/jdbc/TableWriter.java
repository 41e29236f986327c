package io.tenantry.jdbc;

import io.tenantry.jdbc.PlacedTables.Column;
import io.tenantry.jdbc.PlacedTables.Table;
import io.tenantry.spi.TenantDataStore.CopyProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes one table's rows of a copy or an archive load into the target, each value as its type's text form
 * (or null), which the target column's input function reads; for {@link TableCopy}. {@link #add} takes a row,
 * {@link #flush} ends a batch and tells the progress, {@link #finish} ends the table. Not thread-safe; one
 * table, one target transaction.
 *
 * <p>Two ways, chosen per target table by {@link #open}:
 *
 * <ul>
 *   <li>{@code COPY ... FROM STDIN} in text format, streamed: the server reads rows as they come, at about a
 *       third of the CPU that batched {@code INSERT}s cost it. Taken for the tables of the schema and database
 *       models, unless row-level security applies to the session on the table (PostgreSQL refuses
 *       {@code COPY FROM} then) or the table has rules (which {@code COPY} would ignore and an
 *       {@code INSERT} obeys).
 *   <li>Batched {@code INSERT ... OVERRIDING SYSTEM VALUE} with every value bound as text of unspecified type:
 *       for the FIELD model's shared tables, whose row-level security refuses {@code COPY} and whose tenant
 *       column the statement fills in, and for the other tables above.
 * </ul>
 *
 * Both write identity columns as given ({@code COPY FROM} does what {@code OVERRIDING SYSTEM VALUE} does),
 * fire the same triggers and check the same constraints, deferred ones at the commit.
 */
abstract class TableWriter implements AutoCloseable {

    private final String table;
    private final CopyProgress progress;
    private int rows;
    private long chars;
    private long widest = 1;

    private TableWriter(String table, CopyProgress progress) {
        this.table = table;
        this.progress = progress;
    }

    /**
     * Returns the writer for {@code table} at {@code to}, {@code COPY} where PostgreSQL takes it (see the class
     * description), for rows of {@code columns}' values in that order.
     */
    static TableWriter open(PlacedTables to, Connection target, Table table, List<Column> columns,
            CopyProgress progress) throws SQLException {
        if (table.tenantType() == null && !columns.isEmpty() && takesCopy(target, to.qualified(table))) {
            return new CopyText(to, target, table, columns, progress);
        }
        return new Inserts(to, target, table, columns, progress);
    }

    /** Whether {@code COPY FROM} writes the table as an {@code INSERT} would: no row-level security, no rules. */
    private static boolean takesCopy(Connection target, String qualified) throws SQLException {
        try (PreparedStatement p = target.prepareStatement("SELECT pg_catalog.row_security_active(c.oid), c.relhasrules"
                + " FROM pg_catalog.pg_class c WHERE c.oid = CAST(? AS regclass)")) {
            p.setString(1, qualified);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && !r.getBoolean(1) && !r.getBoolean(2);
            }
        }
    }

    /** Adds one row, its values in the order of the writer's columns, null for SQL NULL. */
    final void add(@Nullable String[] values) throws SQLException {
        long width = 0;
        for (String value : values) {
            if (value != null) {
                width += value.length();
            }
        }
        write(values);
        rows++;
        chars += width;
        widest = Math.max(widest, width);
    }

    /** Returns the rows added since the last {@link #flush}. */
    final int pending() {
        return rows;
    }

    /** Sends the rows added since the last flush, tells the progress, and returns how many they were. */
    final int flush() throws SQLException {
        int sent = rows;
        if (sent > 0) {
            send();
            progress.copied(table, sent, chars);
            rows = 0;
            chars = 0;
        }
        return sent;
    }

    /**
     * Returns how many rows the next batch should hold: at most {@code batchRows} and about
     * {@link TableCopy#BATCH_CHARS} characters, by the widest row so far.
     */
    final int nextBatch(int batchRows) {
        return (int) Math.max(1, Math.min(batchRows, TableCopy.BATCH_CHARS / widest));
    }

    /** Flushes, and ends the table's rows: after this the target connection takes other statements. */
    abstract void finish() throws SQLException;

    /** Releases the statement, or abandons a copy that did not finish (the server rolls back the statement). */
    @Override
    public abstract void close() throws SQLException;

    abstract void write(@Nullable String[] values) throws SQLException;

    abstract void send() throws SQLException;

    /** Batched {@code INSERT}s, each value bound as text of unspecified type. */
    private static final class Inserts extends TableWriter {
        private final PreparedStatement write;

        Inserts(PlacedTables to, Connection target, Table table, List<Column> columns, CopyProgress progress)
                throws SQLException {
            super(table.name(), progress);
            String names = columns.stream().map(c -> JdbcNames.quote(c.name())).collect(Collectors.joining(", "));
            boolean tenantColumn = table.tenantType() != null;
            String insert = "INSERT INTO " + to.qualified(table) + " (" + names
                    + (tenantColumn ? (columns.isEmpty() ? "" : ", ") + JdbcNames.quote(to.tenantColumn()) : "")
                    + ") OVERRIDING SYSTEM VALUE VALUES ("
                    + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
                    + (tenantColumn ? (columns.isEmpty() ? "" : ", ") + to.tenantValue(table) : "") + ")";
            if (columns.isEmpty() && !tenantColumn) {
                insert = "INSERT INTO " + to.qualified(table) + " DEFAULT VALUES";
            }
            this.write = target.prepareStatement(insert);
        }

        @Override
        void write(@Nullable String[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                String value = values[i];
                if (value == null) {
                    write.setNull(i + 1, Types.OTHER);
                } else {
                    write.setObject(i + 1, value, Types.OTHER);
                }
            }
            write.addBatch();
        }

        @Override
        void send() throws SQLException {
            write.executeBatch();
        }

        @Override
        void finish() throws SQLException {
            flush();
        }

        @Override
        public void close() throws SQLException {
            write.close();
        }
    }

    /**
     * One {@code COPY ... FROM STDIN} in PostgreSQL's text format, encoded straight into UTF-8 bytes (pgjdbc
     * sets {@code client_encoding} to UTF8) and sent in chunks of about {@value #CHUNK} bytes, so that memory
     * holds a chunk and the widest value whatever the table's size. A row is its values separated by tabs and
     * ended by a newline; NULL is {@code \N}; in a value a backslash, a newline, a carriage return and a tab
     * are written {@code \\}, {@code \n}, {@code \r} and {@code \t}, and every other character as itself, so
     * a value reads back as the very text it was: the strings {@code \N} and {@code \.} become {@code \\N}
     * and {@code \\.}, an empty string stays empty (not NULL).
     */
    private static final class CopyText extends TableWriter {
        static final int CHUNK = 64 * 1024;

        private final CopyIn copy;
        private byte[] buffer = new byte[CHUNK];
        private int length;

        CopyText(PlacedTables to, Connection target, Table table, List<Column> columns, CopyProgress progress)
                throws SQLException {
            super(table.name(), progress);
            String names = columns.stream().map(c -> JdbcNames.quote(c.name())).collect(Collectors.joining(", "));
            this.copy = target.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + to.qualified(table) + " (" + names + ") FROM STDIN");
        }

        @Override
        void write(@Nullable String[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                String value = values[i];
                room(value == null ? 3 : 3 * value.length() + 1);
                if (i > 0) {
                    buffer[length++] = '\t';
                }
                if (value == null) {
                    buffer[length++] = '\\';
                    buffer[length++] = 'N';
                } else {
                    encode(value);
                }
            }
            room(1);
            buffer[length++] = '\n';
            if (length >= CHUNK) {
                send();
            }
        }

        /** Escapes {@code value} for the text format and encodes it as UTF-8 into the buffer, which has room. */
        private void encode(String value) {
            byte[] b = buffer;
            int at = length;
            for (int i = 0, n = value.length(); i < n; i++) {
                char c = value.charAt(i);
                if (c < 0x80) {
                    switch (c) {
                        case '\\' -> {
                            b[at++] = '\\';
                            b[at++] = '\\';
                        }
                        case '\n' -> {
                            b[at++] = '\\';
                            b[at++] = 'n';
                        }
                        case '\r' -> {
                            b[at++] = '\\';
                            b[at++] = 'r';
                        }
                        case '\t' -> {
                            b[at++] = '\\';
                            b[at++] = 't';
                        }
                        default -> b[at++] = (byte) c;
                    }
                } else if (c < 0x800) {
                    b[at++] = (byte) (0xc0 | c >> 6);
                    b[at++] = (byte) (0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int point = Character.toCodePoint(c, value.charAt(++i));
                    b[at++] = (byte) (0xf0 | point >> 18);
                    b[at++] = (byte) (0x80 | point >> 12 & 0x3f);
                    b[at++] = (byte) (0x80 | point >> 6 & 0x3f);
                    b[at++] = (byte) (0x80 | point & 0x3f);
                } else if (Character.isSurrogate(c)) {
                    b[at++] = '?'; // a lone surrogate is no character; String.getBytes, and so an INSERT, sends '?'
                } else {
                    b[at++] = (byte) (0xe0 | c >> 12);
                    b[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                    b[at++] = (byte) (0x80 | c & 0x3f);
                }
            }
            length = at;
        }

        /** Makes room for {@code bytes} more: sends what the buffer holds first, and grows it for a wide value. */
        private void room(int bytes) throws SQLException {
            if (length + bytes > buffer.length) {
                send();
                if (bytes > buffer.length) {
                    buffer = Arrays.copyOf(buffer, bytes);
                }
            }
        }

        @Override
        void send() throws SQLException {
            if (length > 0) {
                copy.writeToCopy(buffer, 0, length);
                length = 0;
            }
            if (buffer.length > CHUNK) {
                buffer = new byte[CHUNK]; // a wide value has gone: do not hold its room
            }
        }

        @Override
        void finish() throws SQLException {
            flush();
            send();
            copy.endCopy();
        }

        @Override
        public void close() throws SQLException {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
