package io.tenantry.jdbc;

import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * The walk of {@link FieldRewriter} over a parsed statement, by reflection over every field of every
 * node, so that it does not depend on a visitor knowing every clause: it replaces each tenant table
 * that stands where a {@code FROM} item may stand with the subquery of the tenant's rows, and refuses
 * the statement if any other tenant table is reachable, other than inside those subqueries or as a
 * write target that {@link FieldWrites} confined. Names that only qualify a column
 * ({@code cards.name}, {@code cards.*}, {@code FOR UPDATE OF cards}) are not tables and are skipped.
 * One instance per statement; not thread-safe.
 */
final class FieldCheck {

    private static final String PARSER_PACKAGE = "net.sf.jsqlparser.";

    /** The fields of each parser node class worth walking: not static, not the parser's own token tree. */
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> at = type; at != null && at.getName().startsWith(PARSER_PACKAGE); at = at.getSuperclass()) {
                for (Field field : at.getDeclaredFields()) {
                    Class<?> declared = field.getType();
                    if (Modifier.isStatic(field.getModifiers()) || declared.isPrimitive() || declared == String.class
                            || declared.isEnum() || declared.getName().startsWith("net.sf.jsqlparser.parser.")) {
                        continue;
                    }
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
            return List.copyOf(fields);
        }
    };

    /** The fields the walks read on a node of {@code type}; for the completeness test. */
    static List<Field> walkedFields(Class<?> type) {
        return FIELDS.get(type);
    }

    private final FieldRewriter rewriter;
    private final String sql;
    private final Set<Table> confined;
    private final List<JdbcParameter> parameters = new ArrayList<>();

    FieldCheck(FieldRewriter rewriter, String sql, Set<Table> confined) {
        this.rewriter = rewriter;
        this.sql = sql;
        this.confined = confined;
    }

    /** The statement's {@code ?} placeholders, in the order the parser numbered them. */
    List<JdbcParameter> parameters() {
        parameters.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
        return parameters;
    }

    /**
     * Replaces every tenant table in a {@code FROM} position by the subquery of the tenant's rows, and
     * refuses the statement if a tenant table is reachable anywhere else but where it was confined. One
     * walk does both: a table in a {@code FROM} position is replaced before the walk would reach it.
     */
    void confine(Object statement) {
        walk(statement, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void walk(Object node, Set<Object> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof Table table) {
            if (!confined.contains(table) && rewriter.tenantTable(table) != null) {
                throw FieldSql.refused(sql, "Tenantry could not confine its reference to the tenant table "
                        + table.getFullyQualifiedName() + " in this position. Rewrite the statement so that the"
                        + " table is read in a FROM clause, or report the statement to Tenantry");
            }
            return;
        }
        if (node instanceof JdbcParameter parameter) {
            parameters.add(parameter);
            return;
        }
        if (node instanceof WithItem<?> with && with.getAlias() != null) {
            String name = FieldRewriter.name(with.getAlias().getName());
            if (rewriter.catalogue.tenantTables().containsKey(name)) {
                throw FieldSql.refused(sql, "its WITH query \"" + name + "\" has the name of a tenant table. Rename"
                        + " the WITH query");
            }
        }
        if (node instanceof Collection<?> collection) {
            for (Object element : collection) {
                if (element != null) {
                    walk(element, seen);
                }
            }
        }
        for (Field field : FIELDS.get(node.getClass())) {
            if (skipped(node, field)) {
                continue;
            }
            Object value;
            try {
                value = field.get(node);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot read " + field, e);
            }
            if (value == null) {
                continue;
            }
            if (value instanceof Table table && field.getType() == FromItem.class && !confined.contains(table)) {
                TenantTable tenant = rewriter.tenantTable(table);
                if (tenant != null) {
                    ParenthesedSelect rows = rows(table, tenant);
                    set(field, node, rows);
                    seen.add(rows);
                    continue;
                }
            }
            if (value instanceof Collection<?> || value.getClass().getName().startsWith(PARSER_PACKAGE)) {
                walk(value, seen);
            }
        }
    }

    /** Fields whose table only names something already in the FROM clause. */
    private static boolean skipped(Object node, Field field) {
        return node instanceof Column || node instanceof AllTableColumns
                || (node instanceof Select && field.getName().equals("forUpdateTable"));
    }

    private static void set(Field field, Object node, Object value) {
        try {
            field.set(node, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot write " + field, e);
        }
    }

    /** {@code (SELECT <columns but the tenant column> FROM <schema>.<table> WHERE <tenant column> = <tenant>) <alias>}. */
    ParenthesedSelect rows(Table table, TenantTable tenant) {
        FieldCatalogue catalogue = rewriter.catalogue;
        PlainSelect select = new PlainSelect();
        for (String column : tenant.columns()) {
            select.addSelectItem(new Column(JdbcNames.quote(column)));
        }
        Table source = new Table(JdbcNames.quote(catalogue.schema()), JdbcNames.quote(tenant.name()));
        confined.add(source);
        select.setFromItem(source);
        select.setWhere(new EqualsTo(new Column(JdbcNames.quote(catalogue.tenantColumn())),
                rewriter.tenantValue(tenant)));
        ParenthesedSelect rows = new ParenthesedSelect();
        rows.setSelect(select);
        rows.setAlias(table.getAlias() != null ? table.getAlias() : new Alias(table.getName(), false));
        return rows;
    }
}
