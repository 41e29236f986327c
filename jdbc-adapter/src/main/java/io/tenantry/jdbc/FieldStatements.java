package io.tenantry.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tenantry.IsolationViolationException;

/**
 * The FIELD model's statements for one shared schema: each SQL text rewritten once, then looked up.
 * Refusals are cached too, as their message. Thread-safe.
 */
final class FieldStatements {

    private final FieldRewriter rewriter;
    private final boolean rewriting;
    private final Cache<String, Object> rewrites = Caffeine.newBuilder().maximumSize(10_000).build();

    /**
     * @param rewriting false to send tenant SQL as it is, leaving the tenant's rows to row-level security
     *     alone (for diagnosis and for the tests that prove that wall holds by itself)
     */
    FieldStatements(FieldCatalogue catalogue, boolean rewriting) {
        this.rewriter = new FieldRewriter(catalogue);
        this.rewriting = rewriting;
    }

    FieldCatalogue catalogue() {
        return rewriter.catalogue;
    }

    /**
     * Returns {@code sql} as it must reach the driver.
     *
     * @throws IsolationViolationException if it cannot be confined to the tenant
     */
    FieldRewriter.Rewrite rewrite(String sql) {
        if (!rewriting) {
            return FieldRewriter.Rewrite.unchanged(sql);
        }
        Object rewrite = rewrites.get(sql, text -> {
            try {
                return rewriter.rewrite(text);
            } catch (IsolationViolationException e) {
                return e.getMessage();
            }
        });
        if (rewrite instanceof String refusal) {
            throw new IsolationViolationException(refusal);
        }
        return (FieldRewriter.Rewrite) rewrite;
    }
}
