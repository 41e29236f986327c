package io.tenantry.tck;

import io.tenantry.NoTenantBoundException;
import io.tenantry.TenantContext;
import java.util.List;
import java.util.Optional;

/**
 * A deliberately small key-value view of the stack under test, through which the
 * {@link IsolationContract} exercises it. Implement it with a few lines over your own repository,
 * collection or table: {@code write} saves a document or row, {@code read} finds one by key, and so on.
 *
 * <p>Every method acts for the tenant bound by {@link TenantContext} when it is called, and only
 * for that tenant: entries written by one tenant are invisible to every other, even under the same
 * key. With no tenant bound (also inside a system scope) every method throws
 * {@link NoTenantBoundException} and touches nothing: the implementation must not fall back to a
 * default tenant.
 *
 * <p>Implementations must be safe to call from several threads at once. Keys and values are
 * non-null, non-empty strings of lower-case ASCII letters and digits.
 */
public interface TenantScopedStore {

    /**
     * Stores {@code value} under {@code key} for the current tenant, replacing the value the
     * current tenant had under that key, if any.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    void write(String key, String value);

    /**
     * Returns the current tenant's value under {@code key}.
     *
     * @return the value, or empty if the current tenant has none under that key
     * @throws NoTenantBoundException if no tenant is bound
     */
    Optional<String> read(String key);

    /**
     * Returns the values of the current tenant's entries whose value starts with
     * {@code valuePrefix}, sorted by {@link String#compareTo}; duplicates are kept, one per entry.
     * The empty prefix matches every entry.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    List<String> query(String valuePrefix);

    /**
     * Returns the number of the current tenant's entries.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    long count();

    /**
     * Removes the current tenant's entry under {@code key}.
     *
     * @return true if the current tenant had an entry under that key
     * @throws NoTenantBoundException if no tenant is bound
     */
    boolean delete(String key);

    /**
     * Removes every entry of the current tenant, and nothing else.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    void clear();
}
