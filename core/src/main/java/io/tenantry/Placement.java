package io.tenantry;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where one tenant's data lives: an {@link IsolationModel}, the named store (a MongoDB cluster, a
 * JDBC data source) and the naming within it.
 *
 * <ul>
 *   <li>{@link #field(String, String)}: a shared database whose collections or tables hold every
 *       tenant's rows, told apart by a tenant field;
 *   <li>{@link #collection(String, String)}, or {@link #schema(String, String)} in SQL words: a
 *       shared database with a collection (or schema) per tenant;
 *   <li>{@link #database(String, String)}: a database per tenant, named {@code prefix + tenantId}.
 * </ul>
 *
 * <p>Immutable and thread-safe; equal by value.
 */
public final class Placement {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9_-]{1,32}");

    private final IsolationModel model;
    private final String store;
    private final String namespace;
    /** Computed once: routed calls look placements up in hash maps on every call. */
    private final int hash;

    private Placement(IsolationModel model, String store, String namespace) {
        this.model = model;
        this.store = requireName(store, "store");
        this.namespace = namespace;
        this.hash = (31 * model.ordinal() + this.store.hashCode()) * 31 + namespace.hashCode();
    }

    /**
     * A shared database in which tenants share collections or tables, told apart by a tenant field.
     *
     * @param store the store's name, as configured in the adapter (for example {@code "main"})
     * @param database the shared database
     * @return the placement
     * @throws IllegalArgumentException if a name is empty or not of {@code [A-Za-z0-9_-]}, at most 63
     *     characters
     */
    public static Placement field(String store, String database) {
        return new Placement(IsolationModel.FIELD, store, requireName(database, "database"));
    }

    /**
     * A shared database holding a collection (MongoDB) or schema (SQL) per tenant.
     *
     * @param store the store's name
     * @param database the shared database
     * @return the placement
     * @throws IllegalArgumentException if a name is empty or not of {@code [A-Za-z0-9_-]}, at most 63
     *     characters
     */
    public static Placement collection(String store, String database) {
        return new Placement(IsolationModel.COLLECTION, store, requireName(database, "database"));
    }

    /**
     * A shared SQL database holding a schema per tenant: the word SQL users know for
     * {@link #collection(String, String)}, which it equals ({@link IsolationModel#COLLECTION}).
     *
     * @param store the store's name (a JDBC server configured in the adapter)
     * @param database the shared database
     * @return the placement
     * @throws IllegalArgumentException if a name is empty or not of {@code [A-Za-z0-9_-]}, at most 63
     *     characters
     */
    public static Placement schema(String store, String database) {
        return collection(store, database);
    }

    /**
     * A database per tenant on {@code store}, named {@code databasePrefix + tenantId}. The prefix is
     * required so that no tenant database can ever be named like a store's own databases
     * ({@code admin}, {@code local}, {@code postgres}, ...).
     *
     * @param store the store's name
     * @param databasePrefix 1 to 32 characters of {@code [a-z0-9_-]}, for example {@code "cv_"}
     * @return the placement
     * @throws IllegalArgumentException if the prefix is empty, too long, or not lower case
     */
    public static Placement database(String store, String databasePrefix) {
        Objects.requireNonNull(databasePrefix, "databasePrefix");
        if (!PREFIX.matcher(databasePrefix).matches()) {
            throw new IllegalArgumentException("Invalid database prefix \"" + databasePrefix
                    + "\": use 1 to 32 characters of a-z, 0-9, '-' and '_', for example \"t_\". Lower case"
                    + " only, because MongoDB compares database names case-insensitively.");
        }
        return new Placement(IsolationModel.DATABASE, store, databasePrefix);
    }

    /**
     * Returns the placement of {@code model} with {@code store} and {@code namespace} as
     * {@link #namespace()} returns it: what stores that keep placements (tenant directories) read back.
     *
     * @throws IllegalArgumentException if a name breaks the rules of that model's factory
     */
    public static Placement of(IsolationModel model, String store, String namespace) {
        switch (Objects.requireNonNull(model, "model")) {
            case FIELD:
                return field(store, namespace);
            case COLLECTION:
                return collection(store, namespace);
            default:
                return database(store, namespace);
        }
    }

    private static String requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("Invalid " + what + " name \"" + value
                    + "\": use 1 to 63 characters of A-Z, a-z, 0-9, '-' and '_'.");
        }
        return value;
    }

    /** Returns the isolation model. */
    public IsolationModel model() {
        return model;
    }

    /** Returns the name of the store (cluster or data source) that holds the data. */
    public String store() {
        return store;
    }

    /**
     * Returns the shared database for {@link IsolationModel#FIELD} and {@link IsolationModel#COLLECTION},
     * and the database-name prefix for {@link IsolationModel#DATABASE}.
     */
    public String namespace() {
        return namespace;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Placement)) {
            return false;
        }
        Placement that = (Placement) other;
        return hash == that.hash && model == that.model && store.equals(that.store)
                && namespace.equals(that.namespace);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return model.name().toLowerCase(java.util.Locale.ROOT) + "(" + store + ", " + namespace + ")";
    }
}
