package io.tenantry;

/** How one tenant's data is separated from the others' in a store. */
public enum IsolationModel {
    /** Shared collection or table; every document or row carries the tenant id in a field or column. */
    FIELD,
    /** A collection per tenant (MongoDB) or a schema per tenant (SQL) in a shared database. */
    COLLECTION,
    /** A database per tenant. */
    DATABASE
}
