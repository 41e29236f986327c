package io.tenantry.spring.task;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tenantry.jobs.*} properties: jobs run once per tenant by {@link TenantJobs}. */
@ConfigurationProperties("tenantry.jobs")
public class TenantryJobsProperties {

    /** Most tenants a job runs for at the same time. */
    private int parallelism = 4;

    public int getParallelism() {
        return parallelism;
    }

    public void setParallelism(int parallelism) {
        this.parallelism = parallelism;
    }
}
