/**
 * Per-tenant rate limits: a token bucket per tenant (Bucket4j), sized by the tenant's tier from
 * {@code tenantry.rate-limits.*}, applied to the requests the tenant filter admitted; a request above
 * the limit gets 429 with {@code Retry-After} and a problem detail.
 */
@NullMarked
package io.tenantry.spring.ratelimit;

import org.jspecify.annotations.NullMarked;
