package io.tenantry.spring.dashboard;

import io.tenantry.AuditEvent;
import io.tenantry.AuditQuery;
import io.tenantry.TenantId;
import io.tenantry.spi.AuditLog;
import io.tenantry.spring.actuate.TenantsEndpoint;
import io.tenantry.spring.actuate.TenantsEndpoint.TenantDescriptor;
import io.tenantry.spring.actuate.TenantsEndpoint.UsageDescriptor;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dashboard's JSON, below {@code <path>/api}: the {@code tenants} endpoint's descriptors as the actuator
 * serves them (so that whatever the endpoint adds, quotas say, reaches the page), with what the endpoint does
 * not give: each tenant's request rate, its recent audit events, and the session's CSRF token. Actions go
 * through the endpoint's own write operation, restricted to those the dashboard offers.
 */
final class DashboardApi {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);

    /** Measurements drawn on a tenant's usage chart: the latest ones. */
    static final int USAGE_POINTS = 200;

    /** Audit events shown on a tenant's page: the latest ones. */
    static final int AUDIT_EVENTS = 25;

    private static final Set<String> ACTIONS = Set.of("suspend", "resume", "change-tier", "move");
    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() { };

    private final TenantsEndpoint endpoint;
    private final @Nullable AuditLog audit;
    private final RequestRates rates;
    private final DashboardSecurity security;
    private final boolean actions;

    DashboardApi(TenantsEndpoint endpoint, @Nullable AuditLog audit, RequestRates rates, DashboardSecurity security,
            boolean actions) {
        this.endpoint = endpoint;
        this.audit = audit;
        this.rates = rates;
        this.security = security;
        this.actions = actions;
    }

    ServerResponse session(ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        Principal user = servlet.getUserPrincipal();
        return ServerResponse.ok().body(new SessionView(user == null ? null : user.getName(),
                security.csrf(servlet), actions));
    }

    ServerResponse tenants(ServerRequest request) {
        List<TenantDescriptor> tenants = endpoint.tenants().tenants();
        Map<String, Long> requests = new LinkedHashMap<>();
        tenants.forEach(tenant -> requests.put(tenant.id(), rates.lastMinute(TenantId.of(tenant.id()))));
        return ServerResponse.ok().body(new TenantsView(tenants, requests));
    }

    ServerResponse tenant(ServerRequest request) {
        String id = request.pathVariable("id");
        TenantDescriptor tenant = endpoint.tenant(id);
        if (tenant == null) {
            return ServerResponse.notFound().build();
        }
        List<UsageDescriptor> usage = null;
        String usageNote = null;
        try {
            var history = endpoint.usage(id, "usage", null, null, USAGE_POINTS);
            usage = history == null ? List.of() : history.measurements();
        } catch (InvalidEndpointRequestException e) {
            usageNote = e.getMessage();
        }
        List<AuditView> events = null;
        String auditNote = null;
        if (audit == null) {
            auditNote = "Audit events are kept only in a store: set tenantry.audit.store=jdbc or mongodb.";
        } else {
            events = audit.find(AuditQuery.all().tenant(TenantId.of(id)).limit(AUDIT_EVENTS)).stream()
                    .map(AuditView::of).toList();
        }
        return ServerResponse.ok().body(new TenantView(tenant, rates.lastMinute(TenantId.of(id)), usage, usageNote,
                events, auditNote));
    }

    ServerResponse act(ServerRequest request) throws Exception {
        String id = request.pathVariable("id");
        Map<String, Object> body = request.body(JSON_OBJECT);
        String action = text(body, "action");
        if (action == null || !ACTIONS.contains(action)) {
            return problem("The dashboard suspends, resumes, changes the tier of or moves a tenant: send \"action\""
                    + " suspend, resume, change-tier or move, not " + (action == null ? "nothing" : "\"" + action + "\"")
                    + ".");
        }
        Principal user = request.servletRequest().getUserPrincipal();
        LOG.info("Dashboard: {} asks to {} tenant {}", user == null ? "an unauthenticated user" : user.getName(),
                action, id);
        try {
            return ServerResponse.ok().body(endpoint.operate(id, action, null, text(body, "tier"), text(body, "model"),
                    text(body, "store"), text(body, "database"), text(body, "prefix"), null));
        } catch (InvalidEndpointRequestException e) {
            return problem(String.valueOf(e.getMessage()));
        }
    }

    private static ServerResponse problem(String message) {
        return ServerResponse.badRequest().body(Map.of("message", message));
    }

    private static @Nullable String text(Map<String, Object> body, String name) {
        Object value = body.get(name);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    /**
     * Who is signed in, the token the page sends with its writes, and whether actions are wired.
     *
     * @param actions whether the tenant lifecycle is wired, without which the endpoint refuses every action
     */
    record SessionView(@Nullable String user, DashboardSecurity.@Nullable CsrfToken csrf, boolean actions) {
    }

    /** The catalogue with each tenant's admitted requests over the last minute, by id. */
    record TenantsView(List<TenantDescriptor> tenants, Map<String, Long> requestsLastMinute) {
    }

    /**
     * One tenant with its usage history (oldest first) and recent audit events (newest first); a note says why
     * either is missing.
     */
    record TenantView(TenantDescriptor tenant, long requestsLastMinute, @Nullable List<UsageDescriptor> usage,
            @Nullable String usageNote, @Nullable List<AuditView> audit, @Nullable String auditNote) {
    }

    /** One audit event. */
    record AuditView(String kind, String at, String detail) {

        static AuditView of(AuditEvent event) {
            return new AuditView(event.kind().name(), event.at().toString(), event.detail());
        }
    }
}
