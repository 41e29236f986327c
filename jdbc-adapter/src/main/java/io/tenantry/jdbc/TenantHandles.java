package io.tenantry.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.IsolationViolationException;
import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC objects a tenant gets: a connection and the statements, result sets and metadata reached
 * from it, each a proxy that runs every method through {@link JdbcMethods}' table. Every call but
 * closing checks that the tenant bound now is the one the connection was checked out for, so a
 * connection kept past its scope, or handed to code running for another tenant, refuses to work.
 * No method hands out the driver's own objects.
 */
final class TenantHandles implements InvocationHandler {

    /** Verdicts on SQL texts already seen: the steady state is a lookup, not a lexer pass. */
    private static final Cache<String, Object> VERDICTS = Caffeine.newBuilder().maximumSize(10_000).build();

    private final Checkout checkout;
    private final Object delegate;
    private final Class<?> type;
    private final @Nullable Object parent;
    /** On a FIELD-model prepared statement, the placeholders that give the tenant column: checked when bound. */
    private final int[] tenantParameters;
    /** With quotas, on a prepared statement: its SQL as the tenant wrote it. */
    private final @Nullable String preparedSql;
    /** With quotas, on a statement: the SQL of its batch as the tenant wrote it. */
    private @Nullable List<String> batch;
    private @Nullable Object self;

    private TenantHandles(Checkout checkout, Object delegate, Class<?> type, @Nullable Object parent,
            int[] tenantParameters, @Nullable String preparedSql) {
        this.checkout = checkout;
        this.delegate = delegate;
        this.type = type;
        this.parent = parent;
        this.tenantParameters = tenantParameters;
        this.preparedSql = preparedSql;
    }

    /** Returns the tenant's connection over {@code checkout}. */
    static Connection connection(Checkout checkout) {
        return (Connection) wrap(checkout, checkout.connection, Connection.class, null, NONE, null);
    }

    private static final int[] NONE = new int[0];

    private static Object wrap(Checkout checkout, Object delegate, Class<?> type, @Nullable Object parent,
            int[] tenantParameters, @Nullable String preparedSql) {
        TenantHandles handler = new TenantHandles(checkout, delegate, type, parent, tenantParameters, preparedSql);
        Object proxy;
        try {
            proxy = CONSTRUCTORS.get(type).invoke(handler);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot create the tenant proxy of " + type.getName(), e);
        }
        handler.self = proxy;
        return proxy;
    }

    /**
     * The proxy class's constructor per JDBC interface, looked up once: {@code Proxy.newProxyInstance}
     * looks the class up and checks access on every call, and a tenant's every statement and result set
     * is a new proxy.
     */
    private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            Object sample = Proxy.newProxyInstance(TenantHandles.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> null);
            try {
                return MethodHandles.publicLookup().findConstructor(sample.getClass(),
                        MethodType.methodType(void.class, InvocationHandler.class))
                        .asType(MethodType.methodType(Object.class, TenantHandles.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("No public constructor on the proxy class of " + type.getName(), e);
            }
        }
    };

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, method, args);
        }
        JdbcMethods.Kind kind = JdbcMethods.kind(method);
        switch (kind) {
            case CLOSE:
                if (type == Connection.class) {
                    checkout.close();
                    return null;
                }
                return call(method, args);
            case FREE:
                // closed by the tenant, or by the pool after a broken-connection error
                return type == Connection.class && method.getName().equals("isClosed")
                        ? checkout.isClosed() || checkout.connection.isClosed()
                        : call(method, args);
            case REFUSE:
                throw refused(method);
            default:
                break;
        }
        checkOwner(method);
        switch (kind) {
            case SQL: {
                String written = (String) args[0];
                int[] bound = guard(args);
                if (checkout.quota != null) {
                    return quotaSql(method, args, written, bound);
                }
                return wrapResult(call(method, args), bound, null);
            }
            case SESSION:
                checkout.settingsChanged();
                return call(method, args);
            case METADATA:
                return wrapResult(ScopedMetaData.answer(checkout, (DatabaseMetaData) delegate, method, args));
            case LOCAL:
                return local(method, args);
            default:
                if (tenantParameters.length > 0 && args != null && args.length > 0 && args[0] instanceof Integer index
                        && method.getName().startsWith("set")) {
                    checkTenantParameter(method, index, args);
                }
                if (checkout.quota != null && (args == null || args.length <= 1)) {
                    Object[] result = quotaCall(checkout.quota, method, args);
                    if (result != null) {
                        return result[0];
                    }
                }
                Class<?> returned = method.getReturnType();
                // most calls are a row's getString, getLong, next: nothing to wrap
                return returned.isPrimitive() || returned == String.class ? call(method, args)
                        : wrapResult(call(method, args));
        }
    }

    private @Nullable Object call(Method method, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * With quotas: a statement's SQL method. {@code prepareStatement} remembers the SQL as written,
     * {@code addBatch} adds it to the batch, and the {@code execute} methods run under the tenant's quotas.
     */
    private @Nullable Object quotaSql(Method method, Object[] args, String written, int[] bound) throws Throwable {
        QuotaWrites quota = java.util.Objects.requireNonNull(checkout.quota);
        String name = method.getName();
        if (type == Connection.class) {
            return wrapResult(call(method, args), bound, written);
        }
        if (name.equals("addBatch")) {
            call(method, args);
            if (batch == null) {
                batch = new ArrayList<>();
            }
            batch.add(written);
            return null;
        }
        return wrapResult(quota.execute(List.of(written), (Statement) delegate, false, name.equals("executeQuery"),
                () -> call(method, args)), bound, null);
    }

    /**
     * With quotas: runs a call that executes a prepared statement or a batch, or that commits or rolls back,
     * and returns its result in a one-element array; returns null for every other call.
     */
    private Object @Nullable [] quotaCall(QuotaWrites quota, Method method, Object @Nullable [] args)
            throws Throwable {
        String name = method.getName();
        if (type == Connection.class) {
            switch (name) {
                case "commit" -> {
                    return new Object[] {quota.commit(() -> call(method, args))};
                }
                case "rollback" -> {
                    call(method, args);
                    quota.rolledBack();
                    return new Object[] {null};
                }
                case "setAutoCommit" -> {
                    boolean commits = (Boolean) args[0] && !checkout.connection.getAutoCommit();
                    return new Object[] {commits ? quota.commit(() -> call(method, args)) : call(method, args)};
                }
                default -> {
                    return null;
                }
            }
        }
        boolean executesBatch = name.equals("executeBatch") || name.equals("executeLargeBatch");
        if (name.equals("clearBatch")) {
            batch = null;
            return null;
        }
        if (preparedSql != null && (executesBatch || name.equals("execute") || name.equals("executeUpdate")
                || name.equals("executeLargeUpdate") || name.equals("executeQuery"))) {
            Object result = quota.execute(List.of(preparedSql), (Statement) delegate, executesBatch,
                    name.equals("executeQuery"), () -> call(method, args));
            return new Object[] {wrapResult(result)};
        }
        if (executesBatch && type == Statement.class) {
            List<String> sqls = batch == null ? List.of() : List.copyOf(batch);
            batch = null;
            return new Object[] {quota.execute(sqls, (Statement) delegate, true, false, () -> call(method, args))};
        }
        return null;
    }

    private void checkOwner(Method method) {
        if (checkout.isClosed()) {
            return;
        }
        TenantId owner = checkout.target.tenant();
        TenantId bound = TenantContext.find().orElse(null);
        if (owner.equals(bound)) {
            return;
        }
        String what = type.getSimpleName() + "." + method.getName();
        if (bound == null) {
            throw new NoTenantBoundException(what + " was called with no tenant bound, on a connection of tenant \""
                    + owner + "\". A connection belongs to the tenant bound when it was obtained: get a new one"
                    + " inside TenantContext.runAs(...) instead of keeping it past its scope.");
        }
        throw new IsolationViolationException(what + " was called while tenant \"" + bound + "\" is bound, on a"
                + " connection of tenant \"" + owner + "\"; nothing was sent. Get a connection from the DataSource"
                + " while the tenant that uses it is bound.");
    }

    /**
     * Checks the SQL of {@code args[0]} and, on the FIELD model, replaces it with its rewriting; returns
     * the placeholders that bind the tenant column.
     */
    private int[] guard(Object[] args) {
        String sql = (String) args[0];
        guard(sql);
        FieldStatements statements = checkout.statements;
        if (statements == null) {
            return NONE;
        }
        FieldRewriter.Rewrite rewrite = statements.rewrite(sql);
        TenantId tenant = checkout.target.tenant();
        for (String literal : rewrite.tenantLiterals()) {
            if (!sameTenant(literal, tenant)) {
                throw new IsolationViolationException("Refused an INSERT that gives the "
                        + statements.catalogue().tenantColumn() + " column the value '" + literal + "' while tenant \""
                        + tenant + "\" is bound; nothing was sent. Leave the column out: Tenantry fills it with the"
                        + " bound tenant.");
            }
        }
        args[0] = rewrite.sql();
        return rewrite.tenantParameters();
    }

    /** Exactly the tenant's id; for a uuid, in either case, as PostgreSQL reads it. */
    private static boolean sameTenant(String given, TenantId tenant) {
        if (given.equals(tenant.value())) {
            return true;
        }
        if (!given.equalsIgnoreCase(tenant.value())) {
            return false;
        }
        try {
            java.util.UUID.fromString(given);
            return given.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void checkTenantParameter(Method method, int index, Object[] args) {
        boolean tenantColumn = false;
        for (int parameter : tenantParameters) {
            tenantColumn |= parameter == index;
        }
        if (!tenantColumn) {
            return;
        }
        TenantId tenant = checkout.target.tenant();
        Object value = args.length > 1 && !method.getName().equals("setNull") ? args[1] : null;
        if (value == null || !sameTenant(value.toString(), tenant)) {
            throw new IsolationViolationException("Refused " + method.getName() + "(" + index + ", ...): parameter "
                    + index + " gives the tenant column, and its value " + (value == null ? "null" : "'" + value + "'")
                    + " is not the bound tenant \"" + tenant + "\". Leave the column out of the INSERT: Tenantry"
                    + " fills it with the bound tenant.");
        }
    }

    private void guard(String sql) {
        Object verdict = VERDICTS.get(sql, text -> {
            try {
                return SqlGuard.check(text);
            } catch (IsolationViolationException e) {
                return e.getMessage();
            }
        });
        if (verdict instanceof String) {
            throw new IsolationViolationException((String) verdict);
        }
        if (verdict == SqlGuard.Verdict.SETS_SESSION) {
            checkout.settingsChanged();
        }
        if (checkout.target.readOnly() && SqlGuard.asksReadWrite(sql)) {
            throw new IsolationViolationException("Tenant \"" + checkout.target.tenant() + "\" is read-only (it is"
                    + " being moved or backed up); a READ WRITE transaction is refused. Retry the write later.");
        }
    }

    private @Nullable Object local(Method method, Object @Nullable [] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "unwrap": {
                Class<?> wanted = (Class<?>) args[0];
                if (wanted.isInstance(self)) {
                    return self;
                }
                throw new IsolationViolationException(type.getSimpleName() + ".unwrap(" + wanted.getName() + ") is"
                        + " refused: the driver's own objects are not confined to a tenant. Use the standard JDBC"
                        + " interfaces, which Tenantry confines.");
            }
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(self);
            case "getConnection":
            case "getStatement":
                return parent;
            case "getSchema":
                return checkout.target.schema() != null ? checkout.target.schema() : call(method, args);
            case "setSchema":
                setSchema((String) args[0]);
                return null;
            case "getCatalog":
                return checkout.target.database();
            case "setCatalog":
                if (!checkout.target.database().equals(args[0])) {
                    throw new IsolationViolationException("Connection.setCatalog(\"" + args[0] + "\") is refused:"
                            + " the connection is on tenant \"" + checkout.target.tenant() + "\"'s database \""
                            + checkout.target.database() + "\", and PostgreSQL cannot switch databases.");
                }
                return null;
            case "setReadOnly":
                if (checkout.target.readOnly() && !(Boolean) args[0]) {
                    throw new IsolationViolationException("Tenant \"" + checkout.target.tenant() + "\" is read-only;"
                            + " Connection.setReadOnly(false) is refused. Retry the write later.");
                }
                return call(method, args);
            case "abort":
                checkout.abort((Executor) args[0]);
                return null;
            default:
                throw refused(method);
        }
    }

    private void setSchema(String schema) throws Throwable {
        if (checkout.target.schema() == null) {
            // every schema of a tenant database is the tenant's; the changed search_path is reset on return
            ((Connection) delegate).setSchema(schema);
            checkout.settingsChanged();
            return;
        }
        String own = checkout.target.schema();
        if (!own.equals(schema)) {
            throw new IsolationViolationException("Connection.setSchema(\"" + schema + "\") is refused: tenant \""
                    + checkout.target.tenant() + "\" works in its own schema \"" + own + "\" only, which the"
                    + " connection points at already.");
        }
    }

    private IsolationViolationException refused(Method method) {
        return new IsolationViolationException(JdbcMethods.signature(method) + " is refused on a tenant connection: it"
                + " would reach data outside the tenant (large objects are database-wide; sharding keys and methods"
                + " unknown to Tenantry are not confined).");
    }

    private @Nullable Object wrapResult(@Nullable Object result) {
        return wrapResult(result, NONE, null);
    }

    private @Nullable Object wrapResult(@Nullable Object result, int[] bound, @Nullable String sql) {
        if (result == null || result == delegate) {
            return result == delegate ? self : null;
        }
        if (result instanceof ResultSet) {
            return wrap(checkout, result, ResultSet.class, statementOf(), NONE, null);
        }
        if (result instanceof CallableStatement) {
            return wrap(checkout, result, CallableStatement.class, self, bound, sql);
        }
        if (result instanceof PreparedStatement) {
            return wrap(checkout, result, PreparedStatement.class, self, bound, sql);
        }
        if (result instanceof Statement) {
            return wrap(checkout, result, Statement.class, self, NONE, null);
        }
        if (result instanceof DatabaseMetaData) {
            return wrap(checkout, result, DatabaseMetaData.class, self, NONE, null);
        }
        if (result instanceof Connection) {
            return connectionProxy();
        }
        return result;
    }

    /** The statement a new result set belongs to: this statement, this result set's own, or none (metadata). */
    private @Nullable Object statementOf() {
        return delegate instanceof Statement ? self : delegate instanceof ResultSet ? parent : null;
    }

    private @Nullable Object connectionProxy() {
        Object at = self;
        while (at != null && !(at instanceof Connection)) {
            at = ((TenantHandles) Proxy.getInvocationHandler(at)).parent;
        }
        return at;
    }

    private @Nullable Object objectMethod(Object proxy, Method method, Object @Nullable [] args) {
        switch (method.getName()) {
            case "equals":
                return args != null && proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                return "Tenant" + type.getSimpleName() + "(" + checkout.target.tenant() + ")";
        }
    }
}
