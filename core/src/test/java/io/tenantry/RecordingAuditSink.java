package io.tenantry;

import io.tenantry.spi.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuditSink} that keeps every event, for assertions. Thread-safe. */
final class RecordingAuditSink implements AuditSink {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    List<AuditEvent> events() {
        return List.copyOf(events);
    }

    List<AuditEvent.Kind> kinds() {
        return events.stream().map(AuditEvent::kind).toList();
    }
}
