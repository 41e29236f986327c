package io.tenantry.spring.jdbc;

import io.tenantry.spring.InvalidTenantryConfigurationException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Hibernate settings that make it safe on Tenantry's routing {@code DataSource}, with Hibernate's own
 * multi-tenancy off (Tenantry confines the connections instead):
 *
 * <ul>
 *   <li>no connection at start-up: the PostgreSQL dialect is given and JDBC metadata is not read;
 *   <li>no second-level or query cache: their keys would not carry the tenant, so one tenant's entities
 *       and query results would be served to another. Turning either on is refused;
 *   <li>no schema generation: {@code ddl-auto} other than {@code none} would run with no tenant bound;
 *       tables come from Tenantry's migrations;
 *   <li>no Hibernate multi-tenancy settings, which would fight Tenantry's routing.
 * </ul>
 */
final class HibernateSettings {

    static final String DIALECT = "hibernate.dialect";
    static final String METADATA_ACCESS = "hibernate.boot.allow_jdbc_metadata_access";
    static final String SECOND_LEVEL_CACHE = "hibernate.cache.use_second_level_cache";
    static final String QUERY_CACHE = "hibernate.cache.use_query_cache";
    static final String DDL_AUTO = "hibernate.hbm2ddl.auto";
    private static final Set<String> MULTI_TENANCY = Set.of("hibernate.multi_tenant_connection_provider",
            "hibernate.tenant_identifier_resolver", "hibernate.multiTenancy");

    void apply(Map<String, Object> settings) {
        refuseIfOn(settings, SECOND_LEVEL_CACHE, "the second-level cache");
        refuseIfOn(settings, QUERY_CACHE, "the query cache");
        for (String key : MULTI_TENANCY) {
            if (settings.get(key) != null) {
                throw new InvalidTenantryConfigurationException("spring.jpa.properties." + key, settings.get(key),
                        "Hibernate's own multi-tenancy would route connections itself, around Tenantry's routing"
                                + " DataSource.", "Remove it: with Tenantry, Hibernate sees one DataSource whose"
                                + " connections already belong to the bound tenant.");
            }
        }
        Object ddl = settings.get(DDL_AUTO);
        if (ddl != null && !"none".equalsIgnoreCase(ddl.toString().trim())) {
            throw new InvalidTenantryConfigurationException("spring.jpa.hibernate.ddl-auto", ddl, "Hibernate would"
                    + " create or check tables while the application starts, when no tenant is bound, and"
                    + " Tenantry's DataSource refuses connections without a tenant.", "Set it to none, and create"
                    + " tenant tables with migrations (tenantry.jdbc.migrations, tenantry.jdbc.shared-migrations).");
        }
        settings.put(SECOND_LEVEL_CACHE, "false");
        settings.put(QUERY_CACHE, "false");
        settings.put(DDL_AUTO, "none");
        settings.putIfAbsent(DIALECT, "org.hibernate.dialect.PostgreSQLDialect");
        settings.put(METADATA_ACCESS, "false");
    }

    private static void refuseIfOn(Map<String, Object> settings, String key, String what) {
        Object value = settings.get(key);
        if (value != null && "true".equals(value.toString().trim().toLowerCase(Locale.ROOT))) {
            throw new InvalidTenantryConfigurationException("spring.jpa.properties." + key, value, "Hibernate keys "
                    + what + " by entity id and query text, not by tenant (its multi-tenancy is off, Tenantry"
                    + " routes the connections), so one tenant's cached rows would be served to another.",
                    "Remove it. Cache per tenant above Hibernate instead: Spring's @Cacheable is tenant-scoped by"
                            + " the starter (tenantry.caching.*).");
        }
    }
}
