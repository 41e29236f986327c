package io.tenantry.spi;

import io.tenantry.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link AuditEvent}s go. The default, {@link #slf4j()}, logs each event at INFO on the logger
 * {@code io.tenantry.audit}; a control-plane collection or table is another choice.
 *
 * <p>Implementations must be thread-safe and must not throw: an audit sink that fails would
 * otherwise turn every audited operation into a failure. Calls happen on the thread doing the work.
 */
@FunctionalInterface
public interface AuditSink {

    /** Records one event. */
    void record(AuditEvent event);

    /** Returns the sink that logs to SLF4J logger {@code io.tenantry.audit}. */
    static AuditSink slf4j() {
        Logger log = LoggerFactory.getLogger("io.tenantry.audit");
        return event -> log.info("{}", event);
    }
}
