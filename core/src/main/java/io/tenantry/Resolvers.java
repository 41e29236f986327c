package io.tenantry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The built-in {@link TenantResolver}s. */
final class Resolvers {

    private Resolvers() {
    }

    static final class Header implements TenantResolver {
        /** Lower case: header names compare case-insensitively, and requests that lower-case them need no copy. */
        private final String name;
        private final String source;

        Header(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("Header name must not be blank.");
            }
            this.name = name.toLowerCase(Locale.ROOT);
            this.source = "header " + name;
        }

        @Override
        public Resolution resolve(TenantRequest request) {
            List<String> values = request.headers(name);
            if (values.size() > 1) {
                // which one wins would depend on the order of headers, which proxies may change
                throw new TenantResolutionException(TenantResolutionException.Reason.CONFLICT, "The " + source
                        + " was sent " + values.size() + " times; a request must name its tenant once. Send the"
                        + " header once.");
            }
            return values.isEmpty() ? Resolution.notApplicable() : Resolution.of(values.get(0), source);
        }
    }

    static final class Subdomain implements TenantResolver {
        private final String suffix;
        private final String source;

        Subdomain(String baseDomain) {
            String base = Objects.requireNonNull(baseDomain, "baseDomain").toLowerCase(Locale.ROOT);
            if (base.isBlank() || base.startsWith(".") || base.endsWith(".") || base.contains(":")) {
                throw new IllegalArgumentException("Invalid base domain \"" + baseDomain
                        + "\": give a host name such as \"cards.example.com\", without scheme, port or dots at the ends.");
            }
            this.suffix = "." + base;
            this.source = "subdomain of " + base;
        }

        @Override
        public Resolution resolve(TenantRequest request) {
            Optional<String> host = request.host();
            if (host.isEmpty()) {
                return Resolution.notApplicable();
            }
            String name = stripPort(host.get()).toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (!name.endsWith(suffix) || name.length() == suffix.length()) {
                return Resolution.notApplicable();
            }
            String label = name.substring(0, name.length() - suffix.length());
            if (label.indexOf('.') >= 0) {
                return Resolution.rejected(source, "host \"" + name + "\" has more than one label before the base"
                        + " domain; use <tenant>" + suffix);
            }
            return Resolution.of(label, source);
        }

        private static String stripPort(String host) {
            if (host.startsWith("[")) {
                return host;
            }
            int colon = host.lastIndexOf(':');
            return colon < 0 ? host : host.substring(0, colon);
        }
    }

    static final class PathSegment implements TenantResolver {
        private final String prefix;
        /** {@code prefix + "/"}, made once. */
        private final String head;
        private final String source;

        PathSegment(String prefix) {
            String p = Objects.requireNonNull(prefix, "prefix");
            if (!p.startsWith("/")) {
                p = "/" + p;
            }
            if (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            this.prefix = p.equals("/") ? "" : p;
            this.head = this.prefix + "/";
            this.source = "path segment after " + (this.prefix.isEmpty() ? "/" : this.prefix);
        }

        @Override
        public Resolution resolve(TenantRequest request) {
            String path = request.path();
            if (!path.startsWith(head)) {
                return Resolution.notApplicable();
            }
            int start = prefix.length() + 1;
            int end = path.indexOf('/', start);
            String segment = end < 0 ? path.substring(start) : path.substring(start, end);
            int query = segment.indexOf('?');
            if (query >= 0) {
                segment = segment.substring(0, query);
            }
            return segment.isEmpty() ? Resolution.notApplicable() : Resolution.of(segment, source);
        }
    }

    static final class Claim implements TenantResolver {
        private final String name;
        private final String source;

        Claim(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("Claim name must not be blank.");
            }
            this.name = name;
            this.source = "claim " + name;
        }

        @Override
        public Resolution resolve(TenantRequest request) {
            Optional<String> value = request.claim(name);
            return value.isEmpty() ? Resolution.notApplicable() : Resolution.of(value.get(), source);
        }
    }

    static final class Fixed implements TenantResolver {
        private final Resolution resolution;

        Fixed(TenantId tenant) {
            this.resolution = Resolution.resolved(Objects.requireNonNull(tenant, "tenant"), "default tenant");
        }

        @Override
        public Resolution resolve(TenantRequest request) {
            return resolution;
        }
    }

    static final class Chain implements TenantResolver {
        private final List<TenantResolver> sources;
        private final List<TenantResolver> defaults;

        Chain(List<TenantResolver> resolvers) {
            List<TenantResolver> s = new ArrayList<>();
            List<TenantResolver> d = new ArrayList<>();
            for (TenantResolver r : resolvers) {
                (Objects.requireNonNull(r, "resolver") instanceof Fixed ? d : s).add(r);
            }
            this.sources = List.copyOf(s);
            this.defaults = List.copyOf(d);
        }

        @Override
        public Resolution resolve(TenantRequest request) {
            Resolution found = null;
            for (TenantResolver resolver : sources) {
                Resolution r = resolver.resolve(request);
                switch (r.outcome()) {
                    case REJECTED:
                        return r;
                    case RESOLVED:
                        if (found == null) {
                            found = r;
                        } else if (!found.tenant().equals(r.tenant())) {
                            return Resolution.conflict(found.source() + " and " + r.source(),
                                    found.source() + " names \"" + found.tenant().orElseThrow() + "\" but " + r.source()
                                            + " names \"" + r.tenant().orElseThrow() + "\"; a request must name one tenant");
                        }
                        break;
                    default:
                        break;
                }
            }
            if (found != null) {
                return found;
            }
            for (TenantResolver resolver : defaults) {
                Resolution r = resolver.resolve(request);
                if (r.outcome() != Resolution.Outcome.NOT_APPLICABLE) {
                    return r;
                }
            }
            return Resolution.notApplicable();
        }
    }
}
