package io.tenantry;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TenantResolver} found: a tenant ({@link #resolved}), nothing it could speak for
 * ({@link #notApplicable}), or a definite refusal ({@link #rejected}: the source was present but
 * malformed or forged). Immutable.
 */
public final class Resolution {

    /** The three outcomes. */
    public enum Outcome {
        RESOLVED,
        NOT_APPLICABLE,
        REJECTED
    }

    private static final Resolution NOT_APPLICABLE = new Resolution(Outcome.NOT_APPLICABLE, null, "", "", null);

    private final Outcome outcome;
    private final @Nullable TenantId tenant;
    private final String source;
    private final String reason;
    private final TenantResolutionException.@Nullable Reason failure;

    private Resolution(Outcome outcome, @Nullable TenantId tenant, String source, String reason,
            TenantResolutionException.@Nullable Reason failure) {
        this.outcome = outcome;
        this.tenant = tenant;
        this.source = source;
        this.reason = reason;
        this.failure = failure;
    }

    /**
     * The source named {@code tenant}.
     *
     * @param tenant the tenant found
     * @param source a short description of where it was found, for error messages ({@code header X-Tenant-Id})
     */
    public static Resolution resolved(TenantId tenant, String source) {
        return new Resolution(Outcome.RESOLVED, Objects.requireNonNull(tenant, "tenant"),
                Objects.requireNonNull(source, "source"), "", null);
    }

    /** The source is absent from this request; another resolver may speak. */
    public static Resolution notApplicable() {
        return NOT_APPLICABLE;
    }

    /**
     * The source is present but unusable; resolution must fail.
     *
     * @param source where the bad value was found
     * @param reason what is wrong and what is allowed
     */
    public static Resolution rejected(String source, String reason) {
        return new Resolution(Outcome.REJECTED, null, Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(reason, "reason"), TenantResolutionException.Reason.MALFORMED);
    }

    /**
     * Two sources named different tenants (a forged header, a token for another tenant); resolution
     * must fail and the request be refused.
     *
     * @param sources the disagreeing sources
     * @param reason which source said what
     */
    public static Resolution conflict(String sources, String reason) {
        return new Resolution(Outcome.REJECTED, null, Objects.requireNonNull(sources, "sources"),
                Objects.requireNonNull(reason, "reason"), TenantResolutionException.Reason.CONFLICT);
    }

    /**
     * Reads {@code raw} as a tenant id from {@code source}: resolved when valid, rejected with the
     * validation message otherwise.
     */
    public static Resolution of(String raw, String source) {
        TenantId tenant = TenantId.parse(raw);
        return tenant != null ? resolved(tenant, source)
                : rejected(source, Objects.requireNonNull(TenantId.explain(raw)));
    }

    /**
     * Returns the tenant, or throws the {@link TenantResolutionException} this outcome stands for.
     *
     * @throws TenantResolutionException with {@code MISSING} when not applicable, {@code MALFORMED} or
     *     {@code CONFLICT} when rejected
     */
    public TenantId orThrow() {
        switch (outcome) {
            case RESOLVED:
                return java.util.Objects.requireNonNull(tenant);
            case REJECTED:
                return reject();
            default:
                throw new TenantResolutionException(TenantResolutionException.Reason.MISSING,
                        "No tenant found in the request: send it the way the application's resolver chain expects"
                                + " (a header, a subdomain, a path segment or a token claim).");
        }
    }

    private TenantId reject() {
        TenantResolutionException.Reason why = java.util.Objects.requireNonNull(failure);
        throw new TenantResolutionException(why, "Tenant from " + source + " refused: " + reason);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Returns the tenant when {@link Outcome#RESOLVED}. */
    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    /** Returns where the id came from (empty when not applicable). */
    public String source() {
        return source;
    }

    /** Returns why the outcome is {@link Outcome#REJECTED}: a malformed id or a conflict; empty otherwise. */
    public Optional<TenantResolutionException.Reason> failure() {
        return Optional.ofNullable(failure);
    }

    /** Returns why the source was rejected (empty otherwise). */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        switch (outcome) {
            case RESOLVED:
                return "resolved(" + tenant + " from " + source + ")";
            case REJECTED:
                return "rejected(" + source + ": " + reason + ")";
            default:
                return "notApplicable";
        }
    }
}
