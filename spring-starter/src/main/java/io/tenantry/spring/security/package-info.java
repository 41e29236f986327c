/**
 * Spring Security wiring: the authenticated principal's claims as a tenant source.
 */
@NullMarked
package io.tenantry.spring.security;

import org.jspecify.annotations.NullMarked;
