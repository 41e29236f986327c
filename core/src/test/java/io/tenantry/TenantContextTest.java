package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tenantry.spi.AuditSink;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

@SuppressWarnings("try") // scopes in try-with-resources are opened for their effect, not referenced
class TenantContextTest {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BRAVO = TenantId.of("bravo");

    @BeforeEach
    @AfterEach
    void no_tenant_is_bound_around_each_test() {
        assertThat(TenantContext.find()).isEmpty();
        assertThat(TenantContext.isSystem()).isFalse();
    }

    @Nested
    class Scopes {

        @Test
        void an_open_scope_binds_its_tenant_and_closing_it_unbinds() {
            try (TenantScope scope = TenantContext.open(ACME)) {
                assertThat(TenantContext.current()).isEqualTo(ACME);
                assertThat(TenantContext.find()).contains(ACME);
                assertThat(scope.tenantId()).contains(ACME);
                assertThat(scope.isSystem()).isFalse();
            }
            assertThat(TenantContext.find()).isEmpty();
        }

        @Test
        void nested_scopes_restore_the_outer_tenant() {
            try (TenantScope outer = TenantContext.open(ACME)) {
                try (TenantScope inner = TenantContext.open(BRAVO)) {
                    assertThat(TenantContext.current()).isEqualTo(BRAVO);
                }
                assertThat(TenantContext.current()).isEqualTo(ACME);
                TenantContext.runAs(BRAVO, () -> assertThat(TenantContext.current()).isEqualTo(BRAVO));
                assertThat(TenantContext.current()).isEqualTo(ACME);
            }
        }

        @Test
        void the_same_tenant_nested_in_itself_stays_bound_until_the_outer_scope_closes() {
            try (TenantScope outer = TenantContext.open(ACME)) {
                TenantContext.runAs(ACME, () -> { });
                assertThat(TenantContext.current()).isEqualTo(ACME);
            }
        }

        @Test
        void run_as_and_call_as_unbind_when_the_body_throws() {
            assertThatThrownBy(() -> TenantContext.runAs(ACME, () -> {
                throw new IOException("disk full");
            })).isInstanceOf(IOException.class).hasMessage("disk full");
            assertThat(TenantContext.find()).isEmpty();

            assertThatThrownBy(() -> TenantContext.callAs(ACME, () -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(TenantContext.find()).isEmpty();

            try (TenantScope outer = TenantContext.open(BRAVO)) {
                assertThatThrownBy(() -> TenantContext.callAs(ACME, () -> {
                    throw new AssertionError("even errors");
                })).isInstanceOf(AssertionError.class);
                assertThat(TenantContext.current()).isEqualTo(BRAVO);
            }
        }

        @Test
        void call_as_returns_the_body_value() throws Exception {
            assertThat(TenantContext.callAs(ACME, () -> TenantContext.current().value() + "!")).isEqualTo("acme!");
        }

        @Test
        void current_fails_closed_with_a_message_that_says_how_to_bind_a_tenant() {
            assertThatThrownBy(TenantContext::current).isInstanceOf(NoTenantBoundException.class)
                    .hasMessageContaining("No tenant is bound to thread \"" + Thread.currentThread().getName() + "\"")
                    .hasMessageContaining("TenantContext.open(...)/runAs(...)")
                    .hasMessageContaining("propagating(executor)");
        }

        @Test
        void closing_a_scope_twice_is_harmless() {
            TenantScope scope = TenantContext.open(ACME);
            scope.close();
            try (TenantScope other = TenantContext.open(BRAVO)) {
                scope.close();
                assertThat(TenantContext.current()).isEqualTo(BRAVO);
            }
        }

        @Test
        void a_null_tenant_is_refused() {
            assertThatNullPointerException().isThrownBy(() -> TenantContext.open(null));
            assertThat(TenantContext.find()).isEmpty();
        }
    }

    @Nested
    class MisusedScopes {

        @Test
        void closing_an_outer_scope_first_throws_and_leaves_the_thread_with_the_binding_from_before_it() {
            try (TenantScope base = TenantContext.open(BRAVO)) {
                TenantScope outer = TenantContext.open(ACME);
                TenantScope inner = TenantContext.open(TenantId.of("charlie"));

                assertThatIllegalStateException().isThrownBy(outer::close)
                        .withMessageContaining("close scopes in reverse order");
                assertThat(TenantContext.current()).isEqualTo(BRAVO);

                assertThatIllegalStateException().isThrownBy(inner::close);
                assertThat(TenantContext.current()).as("closing the orphaned inner scope must not rebind acme")
                        .isEqualTo(BRAVO);
            }
            assertThat(TenantContext.find()).isEmpty();
        }

        @Test
        void closing_the_outermost_scope_first_leaves_no_tenant_behind_even_after_the_inner_one_is_closed() {
            TenantScope outer = TenantContext.open(ACME);
            TenantScope inner = TenantContext.open(BRAVO);

            assertThatIllegalStateException().isThrownBy(outer::close);
            assertThat(TenantContext.find()).isEmpty();
            assertThatIllegalStateException().isThrownBy(inner::close);
            assertThat(TenantContext.find()).isEmpty();
            assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
        }

        @Test
        void closing_a_scope_on_another_thread_throws_and_changes_neither_thread() throws Exception {
            TenantScope scope = TenantContext.open(ACME);
            try {
                CompletableFuture<Throwable> onOtherThread = new CompletableFuture<>();
                Thread other = new Thread(() -> {
                    try (TenantScope own = TenantContext.open(BRAVO)) {
                        try {
                            scope.close();
                            onOtherThread.complete(null);
                        } catch (IllegalStateException expected) {
                            onOtherThread.complete(TenantContext.current().equals(BRAVO) ? expected
                                    : new AssertionError("other thread lost its binding"));
                        }
                    }
                }, "other-thread");
                other.start();

                assertThat(onOtherThread.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("must be closed on the thread that opened it")
                        .hasMessageContaining("closed on other-thread");
                assertThat(TenantContext.current()).isEqualTo(ACME);
            } finally {
                scope.close();
            }
            assertThat(TenantContext.find()).isEmpty();
        }

        @Test
        void a_body_that_leaves_a_scope_open_is_reported_and_cleaned_up_by_run_as() {
            assertThatIllegalStateException().isThrownBy(() -> TenantContext.runAs(ACME, () -> TenantContext.open(BRAVO)));
            assertThat(TenantContext.find()).isEmpty();
        }
    }

    @Nested
    class SystemScope {

        private final RecordingAuditSink audit = new RecordingAuditSink();
        private AuditSink previous;

        @BeforeEach
        void record_audit_events() {
            previous = TenantContext.auditSink();
            TenantContext.auditSink(audit);
        }

        @AfterEach
        void restore_the_audit_sink() {
            TenantContext.auditSink(previous);
        }

        @Test
        void a_system_scope_binds_no_tenant_and_is_audited_with_its_reason() {
            try (TenantScope scope = TenantContext.openSystem("nightly usage report")) {
                assertThat(scope.isSystem()).isTrue();
                assertThat(scope.tenantId()).isEmpty();
                assertThat(TenantContext.isSystem()).isTrue();
                assertThat(TenantContext.find()).isEmpty();
                assertThatThrownBy(TenantContext::current).isInstanceOf(NoTenantBoundException.class)
                        .hasMessageContaining("A system scope (\"nightly usage report\") is bound, not a tenant")
                        .hasMessageContaining("runAs");
                assertThat(audit.kinds()).containsExactly(AuditEvent.Kind.SYSTEM_SCOPE_OPENED);
            }
            assertThat(TenantContext.isSystem()).isFalse();
            assertThat(audit.kinds()).containsExactly(AuditEvent.Kind.SYSTEM_SCOPE_OPENED,
                    AuditEvent.Kind.SYSTEM_SCOPE_CLOSED);
            assertThat(audit.events()).allSatisfy(event -> {
                assertThat(event.detail()).isEqualTo("nightly usage report");
                assertThat(event.tenant()).isEmpty();
                assertThat(event.thread()).isEqualTo(Thread.currentThread().getName());
            });
        }

        @Test
        void a_tenant_scope_inside_a_system_scope_acts_for_that_tenant_and_then_returns_to_the_system_scope() {
            try (TenantScope system = TenantContext.openSystem("migrate cards")) {
                TenantContext.runAs(ACME, () -> {
                    assertThat(TenantContext.current()).isEqualTo(ACME);
                    assertThat(TenantContext.isSystem()).isFalse();
                });
                assertThat(TenantContext.isSystem()).isTrue();
            }
        }

        @Test
        void a_system_scope_needs_a_reason() {
            assertThatIllegalArgumentException().isThrownBy(() -> TenantContext.openSystem(" \t"))
                    .withMessageContaining("needs a reason for the audit trail");
            assertThatNullPointerException().isThrownBy(() -> TenantContext.openSystem(null));
            assertThat(TenantContext.isSystem()).isFalse();
            assertThat(audit.events()).isEmpty();
        }

        @Test
        void a_failing_audit_sink_does_not_fail_the_audited_work_and_its_failure_is_logged() {
            Logger logger = (Logger) LoggerFactory.getLogger(TenantContext.class);
            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            logged.start();
            logger.addAppender(logged);
            logger.setAdditive(false);
            TenantContext.auditSink(event -> {
                throw new IllegalStateException("audit store down");
            });
            try {
                try (TenantScope scope = TenantContext.openSystem("fan-out")) {
                    assertThat(TenantContext.isSystem()).isTrue();
                }
                assertThat(TenantContext.isSystem()).isFalse();
            } finally {
                logger.detachAppender(logged);
                logger.setAdditive(true);
            }
            assertThat(logged.list).hasSize(2).allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).startsWith("Audit sink failed to record SYSTEM_SCOPE_");
                assertThat(event.getThrowableProxy().getMessage()).isEqualTo("audit store down");
            });
        }
    }

    @Nested
    class Mdc {

        @Test
        void the_mdc_used_by_these_tests_is_a_real_one() {
            assertThat(MDC.getMDCAdapter()).isNotInstanceOf(NOPMDCAdapter.class);
        }

        @Test
        void the_bound_tenant_is_mirrored_into_the_mdc_and_removed_with_the_binding() {
            assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
            try (TenantScope outer = TenantContext.open(ACME)) {
                assertThat(MDC.get("tenantId")).isEqualTo("acme");
                try (TenantScope inner = TenantContext.open(BRAVO)) {
                    assertThat(MDC.get("tenantId")).isEqualTo("bravo");
                }
                assertThat(MDC.get("tenantId")).isEqualTo("acme");
            }
            assertThat(MDC.get("tenantId")).isNull();
        }

        @Test
        void a_system_scope_shows_as_system_in_the_mdc() {
            AuditSink previous = TenantContext.auditSink();
            TenantContext.auditSink(event -> { });
            try (TenantScope system = TenantContext.openSystem("report")) {
                assertThat(MDC.get("tenantId")).isEqualTo(TenantContext.MDC_SYSTEM);
            } finally {
                TenantContext.auditSink(previous);
            }
            assertThat(MDC.get("tenantId")).isNull();
        }

        @Test
        void the_mdc_is_cleared_when_the_body_throws() {
            assertThatThrownBy(() -> TenantContext.runAs(ACME, () -> {
                throw new IllegalStateException();
            })).isInstanceOf(IllegalStateException.class);
            assertThat(MDC.get("tenantId")).isNull();
        }
    }
}
