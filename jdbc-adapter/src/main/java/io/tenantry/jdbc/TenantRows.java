package io.tenantry.jdbc;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.Tenant;
import io.tenantry.TenantId;
import io.tenantry.TenantStatus;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How {@link JdbcTenantDirectory} stores a {@link Tenant}: one row per tenant of the table defined in
 * {@value JdbcTenantDirectory#TABLE_RESOURCE}, with the pinned placement in three columns that are all
 * null or all set, and the attributes in a {@code jsonb} object of strings. Stateless.
 */
final class TenantRows {

    /** Attribute keys and values come back as two arrays in key order, so that no JSON library is needed. */
    static final String COLUMNS = "id, name, status, tier, placement_model, placement_store,"
            + " placement_namespace, region,"
            + " (SELECT array_agg(key ORDER BY key COLLATE \"C\") FROM jsonb_each_text(attributes))"
            + " AS attribute_keys,"
            + " (SELECT array_agg(value ORDER BY key COLLATE \"C\") FROM jsonb_each_text(attributes))"
            + " AS attribute_values,"
            + " created_at, updated_at, version";

    private TenantRows() {
    }

    /**
     * Binds name, status, tier, placement, region and attributes from 1 on; returns the next index.
     * The attributes are two {@code text[]} parameters, keys then values, for {@code jsonb_object(?, ?)}.
     */
    static int bindFields(Connection connection, PreparedStatement statement, Tenant tenant) throws SQLException {
        Placement placement = tenant.placement().orElse(null);
        statement.setString(1, tenant.name());
        statement.setString(2, tenant.status().name());
        statement.setString(3, tenant.tier());
        statement.setString(4, placement == null ? null : placement.model().name());
        statement.setString(5, placement == null ? null : placement.store());
        statement.setString(6, placement == null ? null : placement.namespace());
        statement.setString(7, tenant.region().orElse(null));
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> attribute : tenant.attributes().entrySet()) {
            keys.add(attribute.getKey());
            values.add(attribute.getValue());
        }
        statement.setArray(8, connection.createArrayOf("text", keys.toArray()));
        statement.setArray(9, connection.createArrayOf("text", values.toArray()));
        return 10;
    }

    /**
     * Reads the current row, selected as {@link #COLUMNS}.
     *
     * @param table the table's name, quoted, for the message of a malformed row
     * @throws IllegalStateException naming the tenant and the column if the row is not in the form
     *     {@link JdbcTenantDirectory} writes
     */
    static Tenant toTenant(ResultSet row, String table) throws SQLException {
        String id = row.getString("id");
        String column = "id";
        try {
            Tenant.Builder tenant = Tenant.builder(TenantId.of(required(id)));
            column = "name";
            tenant.name(required(row.getString(column)));
            column = "status";
            tenant.status(constant(TenantStatus.class, required(row.getString(column))));
            column = "tier";
            tenant.tier(required(row.getString(column)));
            column = "placement_model";
            String model = row.getString(column);
            String store = row.getString("placement_store");
            String namespace = row.getString("placement_namespace");
            if (model != null) {
                IsolationModel isolation = constant(IsolationModel.class, model);
                column = "placement_store, placement_namespace";
                tenant.placement(Placement.of(isolation, required(store), required(namespace)));
            } else if (store != null || namespace != null) {
                column = "placement_store, placement_namespace";
                throw new IllegalArgumentException("they are set while placement_model is null; the three columns"
                        + " are either all null (no pinned placement) or all set");
            }
            column = "region";
            tenant.region(row.getString(column));
            column = "attributes";
            String[] keys = strings(row.getArray("attribute_keys"));
            String[] values = strings(row.getArray("attribute_values"));
            for (int i = 0; i < keys.length; i++) {
                if (values[i] == null) {
                    throw new IllegalArgumentException("the value of \"" + keys[i] + "\" is JSON null, not a string");
                }
                tenant.attribute(keys[i], values[i]);
            }
            column = "created_at";
            tenant.createdAt(required(row.getObject(column, OffsetDateTime.class)).toInstant());
            column = "updated_at";
            tenant.updatedAt(required(row.getObject(column, OffsetDateTime.class)).toInstant());
            column = "version";
            return tenant.version(row.getLong(column)).build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The row of tenant \"" + id + "\" in table " + table + " is not in the"
                    + " form JdbcTenantDirectory writes, in column " + column + ": " + problem(e) + ". Correct the"
                    + " row in the control-plane database; the table's form is in "
                    + JdbcTenantDirectory.TABLE_RESOURCE + ".", e);
        }
    }

    private static String problem(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static <T> T required(@Nullable T value) {
        if (value == null) {
            throw new IllegalArgumentException("it is null");
        }
        return value;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("\"" + name + "\" is none of " + Arrays.toString(type.getEnumConstants()));
    }

    /** Returns the elements of a {@code text[]}; an aggregate over no rows is SQL NULL, read as none. */
    private static String[] strings(@Nullable Array array) throws SQLException {
        if (array == null) {
            return new String[0];
        }
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }
}
