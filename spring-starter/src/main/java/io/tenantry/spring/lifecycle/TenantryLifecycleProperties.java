package io.tenantry.spring.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.lifecycle.*} properties: moves, deletions and their recovery. */
@ConfigurationProperties("tenantry.lifecycle")
public class TenantryLifecycleProperties {

    /**
     * Whether the tenant lifecycle (create, suspend, resume, move, delete, export, import) is wired when the
     * catalogue is kept in a store.
     */
    private boolean enabled = true;

    /**
     * How long a move waits after making a tenant read-only, and after switching it over, for every process's
     * cached catalogue entry to expire; unset means tenantry.directory.cache.ttl (0 with the cache off).
     */
    private @Nullable Duration settle;

    /** Whether operations left unfinished by a crashed process are finished or undone at start-up. */
    private boolean recoverOnStartup = true;

    /**
     * The folder where the tenants endpoint writes exports and reads imports, each archive a folder in it named
     * by the request; unset refuses export and import over HTTP (the Java API takes any path).
     */
    private @Nullable Path archiveDirectory;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable Duration getSettle() {
        return settle;
    }

    public void setSettle(@Nullable Duration settle) {
        this.settle = settle;
    }

    public boolean isRecoverOnStartup() {
        return recoverOnStartup;
    }

    public void setRecoverOnStartup(boolean recoverOnStartup) {
        this.recoverOnStartup = recoverOnStartup;
    }

    public @Nullable Path getArchiveDirectory() {
        return archiveDirectory;
    }

    public void setArchiveDirectory(@Nullable Path archiveDirectory) {
        this.archiveDirectory = archiveDirectory;
    }
}
