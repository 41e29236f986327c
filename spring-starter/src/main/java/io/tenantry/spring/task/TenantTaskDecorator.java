package io.tenantry.spring.task;

import io.tenantry.TenantContext;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task with the tenant binding of the thread that submitted it ({@link TenantContext#wrap}),
 * and restores the worker thread's own binding (normally none) afterwards, so a pooled thread never
 * carries a tenant from one task to the next. Spring Boot applies it to the task executors it
 * configures ({@code @Async}, Spring MVC async requests), composed with any other decorator beans.
 * Thread-safe.
 */
public final class TenantTaskDecorator implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable runnable) {
        return TenantContext.wrap(runnable);
    }
}
