package io.tenantry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The small view of an incoming unit of work that {@link TenantResolver}s read: headers, host, path
 * and the claims of an already-authenticated principal. A web integration adapts its request to
 * this interface; tests and message consumers build one with {@link #builder()}.
 *
 * <p>Implementations must be safe to read from the thread handling the unit of work.
 */
public interface TenantRequest {

    /** Returns the first value of the header {@code name} (compared case-insensitively), if present. */
    Optional<String> header(String name);

    /** Returns the host the request was addressed to (possibly with a port), if known. */
    Optional<String> host();

    /** Returns the request path, starting with {@code /}; {@code "/"} when there is none. */
    String path();

    /**
     * Returns the claim {@code name} of the authenticated principal, if there is a principal and it
     * carries that claim. Values that are not strings are given as their {@code toString()}.
     */
    Optional<String> claim(String name);

    /** Starts an immutable request view. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds an immutable {@link TenantRequest}. Not thread-safe; the built view is. */
    final class Builder {
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> claims = new LinkedHashMap<>();
        private @Nullable String host;
        private String path = "/";

        private Builder() {
        }

        public Builder header(String name, String value) {
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder claim(String name, String value) {
            claims.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public TenantRequest build() {
            Map<String, String> h = Map.copyOf(headers);
            Map<String, String> c = Map.copyOf(claims);
            @Nullable String hostValue = host;
            String pathValue = path;
            return new TenantRequest() {
                @Override
                public Optional<String> header(String name) {
                    return Optional.ofNullable(h.get(name.toLowerCase(Locale.ROOT)));
                }

                @Override
                public Optional<String> host() {
                    return Optional.ofNullable(hostValue);
                }

                @Override
                public String path() {
                    return pathValue;
                }

                @Override
                public Optional<String> claim(String name) {
                    return Optional.ofNullable(c.get(name));
                }

                @Override
                public String toString() {
                    return "TenantRequest{host=" + hostValue + ", path=" + pathValue + ", headers=" + h.keySet()
                            + ", claims=" + c.keySet() + "}";
                }
            };
        }
    }
}
