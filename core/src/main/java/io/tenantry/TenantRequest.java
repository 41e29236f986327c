package io.tenantry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Returns every value of the header {@code name} (compared case-insensitively), in the order
     * received, so that a resolver can refuse a header sent twice instead of letting order decide.
     * The default gives {@link #header(String)}'s value alone; integrations whose requests can repeat a
     * header override it.
     */
    default List<String> headers(String name) {
        return header(name).map(List::of).orElse(List.of());
    }

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
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final Map<String, String> claims = new LinkedHashMap<>();
        private @Nullable String host;
        private String path = "/";

        private Builder() {
        }

        /** Adds a value of the header {@code name}; adding the same header again adds a second value. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                    .add(Objects.requireNonNull(value, "value"));
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
            Map<String, List<String>> h = new LinkedHashMap<>();
            headers.forEach((name, values) -> h.put(name, List.copyOf(values)));
            Map<String, String> c = Map.copyOf(claims);
            @Nullable String hostValue = host;
            String pathValue = path;
            return new TenantRequest() {
                @Override
                public Optional<String> header(String name) {
                    return headers(name).stream().findFirst();
                }

                @Override
                public List<String> headers(String name) {
                    return h.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
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
