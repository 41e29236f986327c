package io.tenantry.jdbc;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.FieldCatalogue.TenantTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.insert.InsertConflictTarget;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import org.jspecify.annotations.Nullable;

/**
 * Confines what a statement writes, wherever it writes: the statement itself and the data-modifying
 * {@code WITH} queries in it. {@code UPDATE} and {@code DELETE} get the tenant condition on their
 * target ({@code AND cards.tenant_id = <tenant>}, also for {@code DELETE ... USING} tables);
 * {@code INSERT} gets the tenant column and value on every row ({@code VALUES} rows, or around an
 * {@code INSERT ... SELECT}), and its {@code ON CONFLICT} columns get the tenant column first, as the
 * tenant-scoped keys have it; {@code MERGE} matches only the tenant's rows and inserts with its value.
 * Assigning the tenant column is refused, and a tenant value the caller writes is kept but checked
 * against the bound tenant on every execution. Writes to shared tables (reference data) are refused.
 * One instance per statement; not thread-safe.
 */
final class FieldWrites {

    private final FieldRewriter rewriter;
    private final String sql;
    private final Set<Table> confined = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Integer> tenantParameters = new ArrayList<>();
    private final List<String> tenantLiterals = new ArrayList<>();

    FieldWrites(FieldRewriter rewriter, String sql) {
        this.rewriter = rewriter;
        this.sql = sql;
    }

    static boolean isWrite(Statement statement) {
        return statement instanceof Insert || statement instanceof Update || statement instanceof Delete
                || statement instanceof Merge;
    }

    /** The write targets confined so far; the walk that follows adds the subqueries it makes. */
    Set<Table> confined() {
        return confined;
    }

    int[] tenantParameters() {
        return tenantParameters.stream().mapToInt(Integer::intValue).toArray();
    }

    List<String> tenantLiterals() {
        return tenantLiterals;
    }

    /** Confines the writes of {@code statement} and of its {@code WITH} queries. */
    void confine(Statement statement) {
        if (statement instanceof Insert insert) {
            withItems(insert.getWithItemsList());
            insert(insert);
        } else if (statement instanceof Update update) {
            withItems(update.getWithItemsList());
            update(update);
        } else if (statement instanceof Delete delete) {
            withItems(delete.getWithItemsList());
            delete(delete);
        } else if (statement instanceof Merge merge) {
            withItems(merge.getWithItemsList());
            merge(merge);
        } else if (statement instanceof Select select) {
            select(select);
        }
    }

    private void select(Select select) {
        withItems(select.getWithItemsList());
        if (select instanceof ParenthesedSelect parenthesed) {
            select(parenthesed.getSelect());
        }
    }

    private void withItems(@Nullable List<WithItem<?>> items) {
        if (items == null) {
            return;
        }
        for (WithItem<?> item : items) {
            Object body = item.getParenthesedStatement();
            if (body instanceof net.sf.jsqlparser.statement.insert.ParenthesedInsert insert) {
                confine(insert.getInsert());
            } else if (body instanceof net.sf.jsqlparser.statement.update.ParenthesedUpdate update) {
                confine(update.getUpdate());
            } else if (body instanceof net.sf.jsqlparser.statement.delete.ParenthesedDelete delete) {
                confine(delete.getDelete());
            } else if (body instanceof Select select) {
                select(select);
            }
        }
    }

    /** Returns the tenant table written to, or null for a table outside the schema; refuses shared tables. */
    private @Nullable TenantTable target(Table table) {
        Object found = rewriter.lookUp(table);
        if (found == Boolean.TRUE) {
            throw refused("it writes to " + table.getFullyQualifiedName() + ", a table every tenant shares (it has"
                    + " no " + rewriter.catalogue.tenantColumn() + " column). Shared tables are read-only for tenants;"
                    + " write them as an operator, outside the tenant's scope");
        }
        if (found instanceof TenantTable tenant) {
            confined.add(table);
            return tenant;
        }
        return null;
    }

    private void update(Update update) {
        TenantTable tenant = target(update.getTable());
        if (update.getStartJoins() != null && !update.getStartJoins().isEmpty()) {
            throw refused("UPDATE with JOIN before SET is not PostgreSQL. Use UPDATE ... FROM");
        }
        if (tenant == null) {
            return;
        }
        refuseAssignments(update.getUpdateSets());
        update.setWhere(and(update.getWhere(), condition(update.getTable(), tenant)));
        expandStars(update.getReturningClause(), update.getTable(), tenant,
                items(update.getFromItem() == null ? List.of() : List.of(update.getFromItem()), update.getJoins()));
    }

    private void delete(Delete delete) {
        if (delete.getTables() != null && !delete.getTables().isEmpty()) {
            throw refused("DELETE of several tables is not PostgreSQL. Delete from one table, with USING");
        }
        TenantTable tenant = target(delete.getTable());
        if (delete.getUsingList() != null) {
            for (Table using : delete.getUsingList()) {
                TenantTable used = rewriter.tenantTable(using);
                if (used != null) {
                    confined.add(using);
                    delete.setWhere(and(delete.getWhere(), condition(using, used)));
                }
            }
        }
        if (tenant != null) {
            delete.setWhere(and(delete.getWhere(), condition(delete.getTable(), tenant)));
            expandStars(delete.getReturningClause(), delete.getTable(), tenant,
                    items(delete.getUsingList() == null ? List.of() : delete.getUsingList(), delete.getJoins()));
        }
    }

    private void insert(Insert insert) {
        TenantTable tenant = target(insert.getTable());
        if (tenant == null) {
            return;
        }
        String tenantColumn = rewriter.catalogue.tenantColumn();
        ExpressionList<Column> columns = insert.getColumns();
        if (insert.isOnlyDefaultValues()) {
            insert.setOnlyDefaultValues(false);
            insert.setColumns(new ExpressionList<>(new Column(JdbcNames.quote(tenantColumn))));
            insert.setSelect(new Values(new ParenthesedExpressionList<>(rewriter.tenantValue(tenant))));
        } else {
            if (columns == null || columns.isEmpty()) {
                columns = new ExpressionList<>();
                for (String column : tenant.columns()) {
                    columns.add(new Column(JdbcNames.quote(column)));
                }
                insert.setColumns(columns);
            }
            int given = indexOf(columns, tenantColumn);
            if (given >= 0) {
                checkGivenTenant(insert.getSelect(), given);
            } else {
                columns.add(new Column(JdbcNames.quote(tenantColumn)));
                insert.setSelect(withTenantColumn(insert.getSelect(), tenant));
            }
        }
        InsertConflictTarget conflict = insert.getConflictTarget();
        if (conflict != null) {
            if (conflict.getIndexExpression() != null) {
                throw refused("its ON CONFLICT names an index expression. Name the conflict columns or ON CONSTRAINT");
            }
            List<String> names = conflict.getIndexColumnNames();
            if (!names.isEmpty() && names.stream().noneMatch(n -> FieldRewriter.name(n).equals(tenantColumn))) {
                names.add(0, JdbcNames.quote(tenantColumn));
            }
        }
        InsertConflictAction action = insert.getConflictAction();
        if (action != null && action.getUpdateSets() != null) {
            refuseAssignments(action.getUpdateSets());
        }
        expandStars(insert.getReturningClause(), insert.getTable(), tenant, List.of());
    }

    /** The rows to insert, each with the tenant value added last. */
    private Select withTenantColumn(Select rows, TenantTable tenant) {
        if (rows instanceof Values values && values.getWithItemsList() == null) {
            appendToRows(values.getExpressions(), rewriter.tenantValue(tenant));
            return values;
        }
        if (rows instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() instanceof Values values
                && parenthesed.getWithItemsList() == null && values.getWithItemsList() == null) {
            appendToRows(values.getExpressions(), rewriter.tenantValue(tenant));
            return rows;
        }
        PlainSelect outer = new PlainSelect();
        outer.addSelectItems(new AllTableColumns(new Table("tenantry_rows")));
        outer.addSelectItem(rewriter.tenantValue(tenant));
        ParenthesedSelect inner = rows instanceof ParenthesedSelect parenthesed ? parenthesed
                : new ParenthesedSelect().withSelect(rows);
        inner.setAlias(new net.sf.jsqlparser.expression.Alias("tenantry_rows", false));
        outer.setFromItem(inner);
        return outer;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void appendToRows(ExpressionList<?> rows, Expression value) {
        ExpressionList list = rows;
        if (rows instanceof ParenthesedExpressionList<?>) {
            list.add(value);
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Object row = list.get(i);
            if (row instanceof ExpressionList<?> tuple) {
                ((ExpressionList) tuple).add(value);
            } else {
                list.set(i, new ParenthesedExpressionList<>((Expression) row, value));
            }
        }
    }

    /** The rows of a {@code VALUES} list: one parenthesized row is the list itself. */
    private static List<?> rows(ExpressionList<?> values) {
        return values instanceof ParenthesedExpressionList<?> ? List.of(values) : values;
    }

    /** The caller wrote the tenant column: each row's value must be a literal or a placeholder, checked later. */
    private void checkGivenTenant(Select rows, int at) {
        Select body = rows instanceof ParenthesedSelect parenthesed ? parenthesed.getSelect() : rows;
        if (!(body instanceof Values values)) {
            throw refused("it gives the " + rewriter.catalogue.tenantColumn() + " column from a query. Leave the"
                    + " column out: Tenantry fills it with the bound tenant");
        }
        for (Object row : rows(values.getExpressions())) {
            Expression value = row instanceof ExpressionList<?> tuple && at < tuple.size() ? tuple.get(at)
                    : at == 0 && !(row instanceof ExpressionList<?>) ? (Expression) row : null;
            givenTenant(value);
        }
    }

    private void givenTenant(@Nullable Expression given) {
        Expression value = given instanceof CastExpression cast ? cast.getLeftExpression() : given;
        if (value instanceof StringValue literal) {
            tenantLiterals.add(literal.getValue().replace("''", "'"));
        } else if (value instanceof JdbcParameter parameter) {
            tenantParameters.add(parameter.getIndex());
        } else {
            throw refused("the value it gives the " + rewriter.catalogue.tenantColumn() + " column is neither a"
                    + " literal nor a ? placeholder, so it cannot be checked. Leave the column out: Tenantry fills it"
                    + " with the bound tenant");
        }
    }

    private void merge(Merge merge) {
        TenantTable tenant = target(merge.getTable());
        if (tenant == null) {
            return;
        }
        merge.setOnCondition(and(merge.getOnCondition(), condition(merge.getTable(), tenant)));
        if (merge.getOperations() == null) {
            return;
        }
        String tenantColumn = rewriter.catalogue.tenantColumn();
        for (MergeOperation operation : merge.getOperations()) {
            if (operation instanceof MergeUpdate update) {
                refuseAssignments(update.getUpdateSets());
            } else if (operation instanceof MergeInsert insert) {
                ExpressionList<Column> columns = insert.getColumns();
                if (columns == null || columns.isEmpty()) {
                    columns = new ExpressionList<>();
                    for (String column : tenant.columns()) {
                        columns.add(new Column(JdbcNames.quote(column)));
                    }
                    insert.setColumns(columns);
                }
                int given = indexOf(columns, tenantColumn);
                if (given >= 0) {
                    givenTenant(given < insert.getValues().size() ? insert.getValues().get(given) : null);
                } else {
                    columns.add(new Column(JdbcNames.quote(tenantColumn)));
                    insert.getValues().add(rewriter.tenantValue(tenant));
                }
            }
        }
    }

    private void refuseAssignments(@Nullable List<UpdateSet> sets) {
        if (sets == null) {
            return;
        }
        String tenantColumn = rewriter.catalogue.tenantColumn();
        for (UpdateSet set : sets) {
            if (indexOf(set.getColumns(), tenantColumn) >= 0) {
                throw refused("it assigns the " + tenantColumn + " column, which would move rows to another tenant."
                        + " A row's tenant never changes; leave the column out of SET");
            }
        }
    }

    /**
     * Replaces {@code *} and {@code target.*} in {@code RETURNING} by the columns the tenant sees, each
     * qualified with the target; {@code *} also takes every {@code FROM} or {@code USING} item's columns,
     * as PostgreSQL's would (a tenant table's without the tenant column).
     */
    private void expandStars(@Nullable ReturningClause returning, Table target, TenantTable tenant,
            List<? extends FromItem> others) {
        if (returning == null) {
            return;
        }
        for (int i = 0; i < returning.size(); i++) {
            Object expression = returning.get(i).getExpression();
            List<SelectItem<?>> columns = null;
            if (expression instanceof AllColumns && !(expression instanceof AllTableColumns)) {
                columns = new ArrayList<>(columns(target, tenant));
                for (FromItem other : others) {
                    columns.addAll(starOf(other));
                }
            } else if (expression instanceof AllTableColumns star) {
                String named = FieldRewriter.name(star.getTable().getName());
                if (named.equals(FieldRewriter.name(qualifier(target)))) {
                    columns = columns(target, tenant);
                } else {
                    for (FromItem other : others) {
                        if (other instanceof Table table && named.equals(FieldRewriter.name(qualifier(table)))
                                && rewriter.tenantTable(table) != null) {
                            columns = columns(table, rewriter.tenantTable(table));
                        }
                    }
                }
            }
            if (columns != null) {
                returning.remove(i);
                returning.addAll(i, columns);
                i += columns.size() - 1;
            }
        }
    }

    /** The items an {@code UPDATE ... FROM} or {@code DELETE ... USING} joins to its target. */
    private static List<FromItem> items(List<? extends FromItem> first, @Nullable List<Join> joins) {
        List<FromItem> items = new ArrayList<>(first);
        if (joins != null) {
            joins.forEach(join -> items.add(join.getRightItem()));
        }
        return items;
    }

    private static List<SelectItem<?>> columns(Table table, TenantTable tenant) {
        List<SelectItem<?>> columns = new ArrayList<>();
        for (String column : tenant.columns()) {
            columns.add(new SelectItem<>(new Column(new Table(qualifier(table)), JdbcNames.quote(column))));
        }
        return columns;
    }

    private List<SelectItem<?>> starOf(FromItem item) {
        if (item instanceof Table table) {
            TenantTable tenant = rewriter.tenantTable(table);
            return tenant != null ? columns(table, tenant)
                    : List.of(new SelectItem<>(new AllTableColumns(new Table(qualifier(table)))));
        }
        if (item.getAlias() == null) {
            throw refused("its RETURNING * takes the columns of a FROM item without a name. Name the item with AS,"
                    + " or list the columns");
        }
        return List.of(new SelectItem<>(new AllTableColumns(new Table(item.getAlias().getName()))));
    }

    private static String qualifier(Table table) {
        return table.getAlias() != null ? table.getAlias().getName() : table.getName();
    }

    /** {@code <alias or table>.<tenant column> = <tenant>}. */
    private Expression condition(Table table, TenantTable tenant) {
        String qualifier = table.getAlias() != null ? table.getAlias().getName() : table.getName();
        return new EqualsTo(new Column(new Table(qualifier), JdbcNames.quote(rewriter.catalogue.tenantColumn())),
                rewriter.tenantValue(tenant));
    }

    private static Expression and(@Nullable Expression where, Expression condition) {
        return where == null ? condition : new AndExpression(new ParenthesedExpressionList<>(where), condition);
    }

    private static int indexOf(@Nullable ExpressionList<Column> columns, String column) {
        if (columns == null) {
            return -1;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (FieldRewriter.name(columns.get(i).getColumnName()).equals(column)) {
                return i;
            }
        }
        return -1;
    }

    private IsolationViolationException refused(String reason) {
        return FieldSql.refused(sql, reason);
    }
}
