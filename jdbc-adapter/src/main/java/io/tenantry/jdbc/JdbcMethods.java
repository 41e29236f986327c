package io.tenantry.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a tenant connection treats each public method of the JDBC interfaces it hands out, read once
 * from {@code jdbc-methods.txt}. A method the table does not name is refused: a JDK that adds a JDBC
 * method cannot open a path around the tenant before someone has decided what that method is.
 */
final class JdbcMethods {

    /** What a tenant connection does with a method; the resource file says what each kind means. */
    enum Kind {
        DELEGATE, SQL, SESSION, METADATA, LOCAL, CLOSE, FREE, REFUSE
    }

    static final String RESOURCE = "jdbc-methods.txt";

    private static final Map<Method, Kind> KINDS = load();

    /**
     * The same kinds by identity of the {@code Method} objects proxies pass (each proxy class hands
     * out the same instances on every call), filled on first use: a lookup by identity, not by
     * {@code Method.equals}, on every JDBC call. Copied on write; reads take no lock.
     */
    private static volatile Map<Method, Kind> seen = new IdentityHashMap<>();

    private JdbcMethods() {
    }

    /**
     * Returns the kind of {@code method}, {@link Kind#REFUSE} for methods the table does not name. On
     * first sight of a JDBC interface method it also turns off the per-call access check of
     * {@code Method.invoke}: the proxies invoke the same methods on ever-changing driver and pool
     * classes, which defeats the JDK's one-entry cache of that check and made it a quarter of
     * Tenantry's own CPU time in a profile. The methods are public members of the exported
     * {@code java.sql} package, so nothing becomes reachable that was not.
     */
    static Kind kind(Method method) {
        Kind kind = seen.get(method);
        if (kind == null) {
            Kind named = KINDS.get(method);
            kind = named == null ? Kind.REFUSE : named;
            if (named != null) {
                method.setAccessible(true);
            }
            synchronized (JdbcMethods.class) {
                Map<Method, Kind> more = new IdentityHashMap<>(seen);
                more.put(method, kind);
                seen = more;
            }
        }
        return kind;
    }

    /** Returns the table: every method it names, by kind. */
    static Map<Method, Kind> table() {
        return KINDS;
    }

    /** Returns the table's name for {@code method}: {@code java.sql.Connection#setSchema(java.lang.String)}. */
    static String signature(Method method) {
        StringBuilder out = new StringBuilder(method.getDeclaringClass().getName()).append('#')
                .append(method.getName()).append('(');
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            out.append(i == 0 ? "" : ",").append(parameters[i].getTypeName());
        }
        return out.append(')').toString();
    }

    private static Map<Method, Kind> load() {
        Map<Method, Kind> kinds = new HashMap<>();
        try (InputStream in = Objects.requireNonNull(JdbcMethods.class.getResourceAsStream(RESOURCE), RESOURCE);
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                Method method = resolve(line.substring(space + 1).trim());
                if (method != null) {
                    kinds.put(method, Kind.valueOf(line.substring(0, space)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + " from tenantry-jdbc", e);
        }
        return Map.copyOf(kinds);
    }

    /** Returns the method a table line names, or null if this JDK lacks it (an older JDK than the table's). */
    static @Nullable Method resolve(String signature) {
        int hash = signature.indexOf('#');
        int open = signature.indexOf('(');
        try {
            Class<?> type = Class.forName(signature.substring(0, hash));
            String parameterList = signature.substring(open + 1, signature.length() - 1);
            String[] names = parameterList.isEmpty() ? new String[0] : parameterList.split(",");
            Class<?>[] parameters = new Class<?>[names.length];
            for (int i = 0; i < names.length; i++) {
                parameters[i] = type(names[i]);
            }
            return type.getMethod(signature.substring(hash + 1, open), parameters);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        if (name.endsWith("[]")) {
            return type(name.substring(0, name.length() - 2)).arrayType();
        }
        switch (name) {
            case "int": return int.class;
            case "long": return long.class;
            case "boolean": return boolean.class;
            case "byte": return byte.class;
            case "short": return short.class;
            case "float": return float.class;
            case "double": return double.class;
            default: return Class.forName(name);
        }
    }
}
