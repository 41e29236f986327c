package io.tenantry.spring.actuate;

import io.tenantry.IsolationModel;
import io.tenantry.Placement;
import io.tenantry.QuotaUsage;
import io.tenantry.RoutingException;
import io.tenantry.Tenant;
import io.tenantry.TenantArchive;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import io.tenantry.TenantQuotas;
import io.tenantry.TenantRouter;
import io.tenantry.TenantStatus;
import io.tenantry.TenantUsage;
import io.tenantry.TenantryException;
import io.tenantry.spi.UsageHistory;
import io.tenantry.spring.metering.MeteringSnapshot;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code tenants} actuator endpoint: every tenant of the catalogue with its status, tier,
 * region and current placement ({@code /actuator/tenants}), or one tenant
 * ({@code /actuator/tenants/{id}}). When the adapter whose store the placement names is wired (MongoDB,
 * PostgreSQL, or both), the placement also shows where the data physically is: the database, on
 * PostgreSQL the schema, on MongoDB's field model the tenant field. A tenant that no rule can place is
 * listed with the routing error instead of a placement, and a tenant's latest lifecycle operation (a
 * move with its progress) is shown with it, and so is its latest usage when metering is wired
 * ({@code usage}: documents or rows and bytes, in all and per collection or table). With a usage history,
 * {@code GET /actuator/tenants/{id}/usage} lists the tenant's measurements, oldest first: the latest
 * {@code limit} (100 unless given) taken at {@code from} or later and before {@code to} (ISO-8601 instants;
 * all of them unless given).
 *
 * <p>Exposing it is the application's choice ({@code management.endpoints.web.exposure.include}). Its write
 * operations, which run the tenant lifecycle when it is wired, are off by default like every actuator write
 * ({@code defaultAccess = READ_ONLY}): {@code management.endpoint.tenants.access=unrestricted} turns them on,
 * and with Spring Security they are behind the actuator's own protection. {@code POST
 * /actuator/tenants/{id}} with {@code {"action": ...}}: {@code create} (with {@code name}, {@code tier}),
 * {@code suspend}, {@code resume}, {@code move} (with {@code model}, {@code store}, {@code database} or
 * {@code prefix}: pins that placement, moving the data in the background), {@code change-tier} (with
 * {@code tier}), {@code export} (with an optional {@code archive} name: writes the tenant's archive into
 * {@code tenantry.lifecycle.archive-directory} in the background) or {@code import} (with {@code archive},
 * and optionally {@code name}, {@code tier} and a placement as for a move: registers the tenant with the
 * archive's data, in the background); {@code DELETE /actuator/tenants/{id}} deletes the tenant and all its
 * data.
 */
@Endpoint(id = "tenants", defaultAccess = Access.READ_ONLY)
public final class TenantsEndpoint {

    /** The end of a usage window that has none: far enough, and a time every store can hold. */
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final TenantDirectory directory;
    private final TenantRouter router;
    private final List<AdapterPlacements> adapters;
    private final @Nullable TenantOperations operations;
    private final @Nullable MeteringSnapshot usage;
    private final @Nullable UsageHistory history;
    private final @Nullable TenantQuotas quotas;

    /**
     * An endpoint that shows placements as the router chooses them, without their physical names.
     *
     * @param directory the catalogue listed
     * @param router the router that places each tenant
     */
    public TenantsEndpoint(TenantDirectory directory, TenantRouter router) {
        this(directory, router, List.of());
    }

    TenantsEndpoint(TenantDirectory directory, TenantRouter router, List<AdapterPlacements> adapters) {
        this(directory, router, adapters, null);
    }

    TenantsEndpoint(TenantDirectory directory, TenantRouter router, List<AdapterPlacements> adapters,
            @Nullable TenantOperations operations) {
        this(directory, router, adapters, operations, null, null, null);
    }

    TenantsEndpoint(TenantDirectory directory, TenantRouter router, List<AdapterPlacements> adapters,
            @Nullable TenantOperations operations, @Nullable MeteringSnapshot usage, @Nullable UsageHistory history,
            @Nullable TenantQuotas quotas) {
        this.directory = directory;
        this.router = router;
        this.adapters = List.copyOf(adapters);
        this.operations = operations;
        this.usage = usage;
        this.history = history;
        this.quotas = quotas;
    }

    /** Lists every tenant, deleted ones included, ordered by id. */
    @ReadOperation
    public TenantsDescriptor tenants() {
        return new TenantsDescriptor(directory.list().stream().map(this::describe).toList());
    }

    /** Describes one tenant, or answers 404 when there is none with that id (or the id is malformed). */
    @ReadOperation
    public @Nullable TenantDescriptor tenant(@Selector String id) {
        if (!TenantId.isValid(id)) {
            return null;
        }
        return directory.find(TenantId.of(id)).map(this::describe).orElse(null);
    }

    /**
     * Lists one tenant's measurements from the usage history ({@code GET /actuator/tenants/{id}/usage}), oldest
     * first; see the class description. Answers 404 for another second segment than {@code usage}, a malformed
     * id or a tenant not in the catalogue.
     *
     * @throws InvalidEndpointRequestException (400) for a malformed {@code from}, {@code to} or {@code limit},
     *     or when there is no usage history
     */
    @ReadOperation
    public @Nullable UsageHistoryDescriptor usage(@Selector String id, @Selector String view, @Nullable String from,
            @Nullable String to, @Nullable Integer limit) {
        if (!view.equals("usage") || !TenantId.isValid(id) || directory.find(TenantId.of(id)).isEmpty()) {
            return null;
        }
        if (history == null) {
            throw new InvalidEndpointRequestException("There is no usage history: it needs metering"
                    + " (tenantry.metering.enabled) and the catalogue in a store (tenantry.directory.source=jdbc or"
                    + " mongodb), or a UsageHistory bean.", "no usage history");
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > UsageHistory.MAX_LIMIT) {
            throw new InvalidEndpointRequestException("limit must be between 1 and " + UsageHistory.MAX_LIMIT + ".",
                    "limit out of range");
        }
        Instant start = instant("from", from, Instant.EPOCH);
        Instant end = instant("to", to, END_OF_TIME);
        if (end.isBefore(start)) {
            throw new InvalidEndpointRequestException("to is before from.", "empty window");
        }
        return new UsageHistoryDescriptor(id, history.find(TenantId.of(id), start, end, max).stream()
                .map(UsageDescriptor::of).toList());
    }

    private static Instant instant(String name, @Nullable String value, Instant otherwise) {
        try {
            return value == null ? otherwise : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEndpointRequestException(name + " must be an ISO-8601 instant such as"
                    + " 2026-11-30T00:00:00Z, was \"" + value + "\".", "malformed " + name);
        }
    }

    /**
     * Runs a lifecycle action on one tenant; see the class description. A move, export or import answers at
     * once with the operation started; {@code GET /actuator/tenants/{id}} shows its progress.
     *
     * @return the tenant as it is now ({@link TenantDescriptor}), or for an import, which registers the tenant
     *     a moment later, what is being imported ({@link ImportDescriptor})
     * @throws InvalidEndpointRequestException (400) for an unknown action, a malformed id, placement or archive
     *     name, an action the lifecycle refuses (an unfinished operation, say), or when the lifecycle is not
     *     wired
     */
    @WriteOperation
    public Object operate(@Selector String id, String action, @Nullable String name, @Nullable String tier,
            @Nullable String model, @Nullable String store, @Nullable String database, @Nullable String prefix,
            @Nullable String archive) {
        TenantOperations lifecycle = lifecycle();
        TenantId tenant = id(id);
        try {
            switch (action.toLowerCase(Locale.ROOT)) {
                case "create" -> {
                    Tenant.Builder created = Tenant.builder(tenant);
                    if (name != null) {
                        created.name(name);
                    }
                    if (tier != null) {
                        created.tier(tier);
                    }
                    lifecycle.create(created.build());
                }
                case "suspend" -> lifecycle.suspend(tenant);
                case "resume" -> lifecycle.resume(tenant);
                case "move" -> lifecycle.move(tenant, placement(model, store, database, prefix), null);
                case "change-tier" -> {
                    if (tier == null) {
                        throw new InvalidEndpointRequestException("change-tier needs a tier", "tier is missing");
                    }
                    lifecycle.move(tenant, null, tier);
                }
                case "export" -> lifecycle.export(tenant, archive);
                case "import" -> {
                    if (archive == null) {
                        throw new InvalidEndpointRequestException("import needs the archive's name", "archive is missing");
                    }
                    Placement pinned = model == null && store == null ? null
                            : placement(model, store, database, prefix);
                    TenantArchive.Manifest manifest = lifecycle.importArchive(tenant, archive, builder -> {
                        if (name != null) {
                            builder.name(name);
                        }
                        if (tier != null) {
                            builder.tier(tier);
                        }
                        return builder.placement(pinned).build();
                    });
                    return new ImportDescriptor(tenant.value(), archive, manifest.tenant().id().value(),
                            manifest.dataFormat(), manifest.exportedAt().toString(), manifest.totalCount(),
                            manifest.resources().stream().map(TenantArchive.Resource::name).toList());
                }
                default -> throw new InvalidEndpointRequestException("Unknown action \"" + action + "\": use create,"
                        + " suspend, resume, move, change-tier, export or import.", "unknown action");
            }
        } catch (TenantryException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidEndpointRequestException(String.valueOf(e.getMessage()), "refused");
        }
        return describe(directory.require(tenant));
    }

    /**
     * Deletes one tenant: its data everywhere it has some, and its catalogue entry. The audit record stays.
     *
     * @throws InvalidEndpointRequestException (400) if the lifecycle refuses (a move is running) or is not wired
     */
    @DeleteOperation
    public @Nullable OperationDescriptor delete(@Selector String id) {
        TenantOperations lifecycle = lifecycle();
        TenantId tenant = id(id);
        try {
            lifecycle.delete(tenant);
        } catch (TenantryException e) {
            throw new InvalidEndpointRequestException(String.valueOf(e.getMessage()), "refused");
        }
        return lifecycle.latest(tenant).orElse(null);
    }

    private TenantOperations lifecycle() {
        if (operations == null) {
            throw new InvalidEndpointRequestException("The tenant lifecycle is not wired: it needs the catalogue in a"
                    + " store (tenantry.directory.source=jdbc or mongodb) and tenantry.lifecycle.enabled.",
                    "no lifecycle");
        }
        return operations;
    }

    private static TenantId id(String id) {
        if (!TenantId.isValid(id)) {
            throw new InvalidEndpointRequestException("\"" + id + "\" is not a tenant id.", "malformed id");
        }
        return TenantId.of(id);
    }

    private static Placement placement(@Nullable String model, @Nullable String store, @Nullable String database,
            @Nullable String prefix) {
        if (model == null || store == null) {
            throw new InvalidEndpointRequestException("A move needs the target's model and store (and database, or"
                    + " prefix for the database model).", "incomplete placement");
        }
        String m = model.trim().toUpperCase(Locale.ROOT);
        IsolationModel isolation = m.equals("SCHEMA") ? IsolationModel.COLLECTION : IsolationModel.valueOf(m);
        String namespace = isolation == IsolationModel.DATABASE ? prefix : database;
        if (namespace == null) {
            throw new InvalidEndpointRequestException("A move to the " + model + " model needs its "
                    + (isolation == IsolationModel.DATABASE ? "prefix" : "database") + ".", "incomplete placement");
        }
        return Placement.of(isolation, store, namespace);
    }

    private TenantDescriptor describe(Tenant tenant) {
        PlacementDescriptor placement = null;
        String routingError = null;
        try {
            Placement p = router.route(tenant);
            PhysicalNames physical = null;
            try {
                physical = physical(tenant.id(), p);
            } catch (TenantryException e) {
                routingError = e.getMessage();
            }
            placement = new PlacementDescriptor(p.model().name(), p.store(), p.namespace(), physical);
        } catch (RoutingException e) {
            routingError = e.getMessage();
        }
        List<QuotaDescriptor> quotaUsage = null;
        String quotaError = null;
        if (quotas != null && tenant.status() != TenantStatus.DELETED) {
            try {
                quotaUsage = quotas.usage(tenant.id()).stream().map(QuotaDescriptor::of).toList();
            } catch (RuntimeException e) {
                quotaError = e.getMessage();
            }
        }
        return new TenantDescriptor(tenant.id().value(), tenant.name(), tenant.status().name(), tenant.tier(),
                tenant.region().orElse(null), tenant.placement().isPresent(), placement, routingError,
                operations == null ? null : operations.latest(tenant.id()).orElse(null),
                usage == null ? null : usage.usage(tenant.id()).map(UsageDescriptor::of).orElse(null),
                quotaUsage, quotaError);
    }

    private @Nullable PhysicalNames physical(TenantId tenant, Placement placement) {
        for (AdapterPlacements adapter : adapters) {
            if (adapter.serves(placement.store())) {
                return adapter.names(tenant, placement);
            }
        }
        return null;
    }

    /** The catalogue. */
    public record TenantsDescriptor(List<TenantDescriptor> tenants) {
    }

    /**
     * One tenant.
     *
     * @param pinned whether the placement is pinned on the tenant rather than chosen by a rule
     * @param placement where its data lives now; null when no rule applies
     * @param routingError why no rule applies, or why the adapter could not name the placement's
     *     physical home; null when neither happened
     * @param operation the tenant's latest lifecycle operation, when the lifecycle is wired and there was one
     * @param usage the tenant's latest usage, when metering is wired and has measured it
     * @param quotas the tenant's quotas with Tenantry's running count of each, when quotas are wired
     * @param quotaError why its quotas could not be read (a malformed {@code quota.*} attribute), or null
     */
    public record TenantDescriptor(String id, String name, String status, String tier, @Nullable String region,
            boolean pinned, @Nullable PlacementDescriptor placement, @Nullable String routingError,
            @Nullable OperationDescriptor operation, @Nullable UsageDescriptor usage,
            @Nullable List<QuotaDescriptor> quotas, @Nullable String quotaError) {
    }

    /**
     * One quota of a tenant.
     *
     * @param quota its key: {@code items:<collection or table>}, {@code bytes} or {@code counter:<name>}
     * @param limit the most the tenant may hold
     * @param usage Tenantry's running count, or null when nothing has been counted yet
     */
    public record QuotaDescriptor(String quota, long limit, @Nullable Long usage) {

        static QuotaDescriptor of(QuotaUsage usage) {
            return new QuotaDescriptor(usage.quota().key(), usage.quota().limit(),
                    usage.usage().isPresent() ? usage.usage().getAsLong() : null);
        }
    }

    /**
     * One measurement of a tenant's usage.
     *
     * @param items documents or rows over all its collections or tables
     * @param bytes bytes over all of them (what each model can attribute to the tenant alone; see
     *     {@code TenantUsage})
     * @param measuredAt when it was measured
     * @param placement where it was measured
     * @param resources each collection's or table's part, by name
     */
    public record UsageDescriptor(long items, long bytes, String measuredAt, String placement,
            Map<String, ResourceUsage> resources) {

        static UsageDescriptor of(TenantUsage usage) {
            Map<String, ResourceUsage> resources = new LinkedHashMap<>();
            usage.resources().forEach((name, r) -> resources.put(name, new ResourceUsage(r.items(), r.bytes())));
            return new UsageDescriptor(usage.totalItems(), usage.totalBytes(), usage.measuredAt().toString(),
                    usage.placement().toString(), resources);
        }
    }

    /** One collection's or table's part of a measurement: documents or rows, and bytes. */
    public record ResourceUsage(long items, long bytes) {
    }

    /** A tenant's measurements from the usage history, oldest first. */
    public record UsageHistoryDescriptor(String id, List<UsageDescriptor> measurements) {
    }

    /**
     * An import started by {@code POST /actuator/tenants/{id}} with {@code {"action":"import"}}.
     *
     * @param id the tenant it registers
     * @param archive the archive's name in the archive directory
     * @param exportedTenant the tenant the archive was exported from
     * @param dataFormat the archive's data format
     * @param exportedAt when it was exported
     * @param totalItems documents or rows it holds
     * @param resources its collections or tables
     */
    public record ImportDescriptor(String id, String archive, String exportedTenant, String dataFormat,
            String exportedAt, long totalItems, List<String> resources) {
    }

    /**
     * A lifecycle operation (a creation, move, deletion, export or import) and how far it got.
     *
     * @param kind CREATE, MOVE, DELETE, EXPORT or IMPORT
     * @param step the last step completed; DONE or ROLLED_BACK once it ended
     * @param from where the tenant's data was when it started
     * @param to a move's target
     * @param items documents or rows copied so far, while this process runs the move
     * @param totalItems documents or rows to copy in all, once the source is measured
     * @param bytes about how many bytes copied so far
     * @param itemsPerSecond the copy's rate
     * @param secondsLeft the estimated time left to copy
     * @param archive the archive folder an export writes or an import reads
     * @param detail why it ended the way it did
     * @param error the failure that stopped it unfinished (it is finished or undone at the next start-up, or by
     *     {@code TenantLifecycle.recover()})
     */
    public record OperationDescriptor(String id, String kind, String step, String from, @Nullable String to,
            @Nullable Long items, @Nullable Long totalItems, @Nullable Long bytes, @Nullable Long itemsPerSecond,
            @Nullable Long secondsLeft, @Nullable String archive, String startedAt, String updatedAt,
            @Nullable String detail, @Nullable String error) {
    }

    /**
     * A placement.
     *
     * @param model FIELD, COLLECTION (on PostgreSQL: a schema per tenant) or DATABASE
     * @param store the MongoDB cluster or PostgreSQL store
     * @param namespace the shared database, or the database-name prefix of the DATABASE model
     * @param physical where the data is, as the adapter serving the store names it; null when no wired
     *     adapter has that store
     */
    public record PlacementDescriptor(String model, String store, String namespace, @Nullable PhysicalNames physical) {
    }

    /**
     * Where one tenant's data physically is.
     *
     * @param adapter the adapter serving the store: {@code jdbc} or {@code mongodb}
     * @param database the database that holds the tenant's data: its own on the DATABASE model, the
     *     shared one otherwise
     * @param schema on PostgreSQL, the schema of the tenant's tables: its own on the schema-per-tenant
     *     model, the shared tables' schema on the FIELD model; null on the DATABASE model (the tenant
     *     database's own schemas) and on MongoDB
     * @param tenantField on MongoDB's FIELD model, the field that tells tenants apart; null otherwise
     */
    public record PhysicalNames(String adapter, String database, @Nullable String schema,
            @Nullable String tenantField) {
    }
}
