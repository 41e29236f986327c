package io.tenantry.spring.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.dashboard.*} properties: whether the dashboard is served, where, and to whom. */
@ConfigurationProperties("tenantry.dashboard")
public class TenantryDashboardProperties {

    /**
     * Whether the tenant management dashboard is served at the path; it needs the actuator
     * (spring-boot-starter-actuator) and, unless allow-unsecured is set, Spring Security.
     */
    private boolean enabled;

    /** Path of the dashboard within the application; its pages and its JSON are served below it. */
    private String path = "/tenantry";

    /**
     * Role a user needs for the dashboard and its JSON when Spring Security is present, without the "ROLE_"
     * prefix (the user's authority is ROLE_ followed by it).
     */
    private String role = "TENANTRY_ADMIN";

    /**
     * Whether the dashboard may be served without Spring Security, to whoever reaches the path; without it,
     * an application that has no Spring Security refuses to start with the dashboard enabled.
     */
    private boolean allowUnsecured;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public boolean isAllowUnsecured() {
        return allowUnsecured;
    }

    public void setAllowUnsecured(boolean allowUnsecured) {
        this.allowUnsecured = allowUnsecured;
    }
}
