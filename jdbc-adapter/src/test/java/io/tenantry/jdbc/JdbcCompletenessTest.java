package io.tenantry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Completeness by reflection: every public method of every JDBC interface a tenant can reach is
 * named in {@code jdbc-methods.txt}, so a JDK that adds one fails this test (and the method is
 * refused at run time) until someone decides whether it is scoped, delegated or refused.
 */
class JdbcCompletenessTest {

    static final List<Class<?>> HANDED_OUT = List.of(Connection.class, Statement.class, PreparedStatement.class,
            CallableStatement.class, DatabaseMetaData.class, ResultSet.class);

    @Test
    void every_method_of_every_handed_out_interface_is_in_the_table() {
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : HANDED_OUT) {
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() != Object.class && !JdbcMethods.table().containsKey(method)) {
                    missing.add(JdbcMethods.signature(method));
                }
            }
        }
        assertThat(missing).as("JDBC methods that jdbc-methods.txt does not classify").isEmpty();
    }

    @Test
    void every_line_of_the_table_names_a_method_of_this_jdk() throws Exception {
        List<String> unknown = new ArrayList<>();
        int lines = 0;
        try (var in = JdbcMethods.class.getResourceAsStream(JdbcMethods.RESOURCE)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                lines++;
                String[] parts = line.trim().split(" ");
                JdbcMethods.Kind.valueOf(parts[0]);
                if (JdbcMethods.resolve(parts[1]) == null) {
                    unknown.add(line);
                }
            }
        }
        assertThat(unknown).as("table lines naming no method").isEmpty();
        assertThat(JdbcMethods.table()).hasSize(lines);
    }

    @Test
    void methods_the_table_does_not_name_are_refused() throws Exception {
        Method notJdbc = Runnable.class.getMethod("run");
        assertThat(JdbcMethods.kind(notJdbc)).isEqualTo(JdbcMethods.Kind.REFUSE);
    }

    @Test
    void the_routing_data_source_implements_every_data_source_method_itself() {
        List<String> inherited = new ArrayList<>();
        for (Method method : DataSource.class.getMethods()) {
            try {
                Method own = RoutingDataSource.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
                assertThat(Modifier.isPublic(own.getModifiers())).isTrue();
            } catch (NoSuchMethodException e) {
                inherited.add(JdbcMethods.signature(method));
            }
        }
        assertThat(inherited).as("DataSource methods RoutingDataSource leaves to a default").isEmpty();
    }

    @Test
    void every_metadata_method_marked_scoped_takes_a_schema_or_lists_schemas_or_catalogs() {
        for (Map.Entry<Method, JdbcMethods.Kind> entry : JdbcMethods.table().entrySet()) {
            Method method = entry.getKey();
            boolean takesSchema = method.getParameterCount() >= 2 && method.getParameterTypes()[1] == String.class;
            if (entry.getValue() == JdbcMethods.Kind.METADATA) {
                assertThat(method.getDeclaringClass()).isEqualTo(DatabaseMetaData.class);
                assertThat(takesSchema || method.getName().equals("getCatalogs") || method.getName().equals("getSchemas"))
                        .as(JdbcMethods.signature(method)).isTrue();
            } else if (method.getDeclaringClass() == DatabaseMetaData.class && method.getReturnType() == ResultSet.class) {
                assertThat(takesSchema).as("%s returns rows by schema but is not scoped", JdbcMethods.signature(method))
                        .isFalse();
            }
        }
    }

    @Test
    void every_sql_method_takes_the_sql_text_first() {
        JdbcMethods.table().forEach((method, kind) -> {
            if (kind == JdbcMethods.Kind.SQL) {
                assertThat(method.getParameterTypes()[0]).as(JdbcMethods.signature(method)).isEqualTo(String.class);
            }
        });
    }

    @Test
    void refused_connection_methods_throw_and_leave_the_connection_usable() throws Exception {
        try (JdbcFixture f = JdbcFixture.schemas("complete", List.of(TenantId.of("acme")), b -> { })) {
            TenantContext.runAs(TenantId.of("acme"), () -> {
                try (Connection c = f.dataSource().getConnection()) {
                    for (Method method : Connection.class.getMethods()) {
                        if (JdbcMethods.kind(method) != JdbcMethods.Kind.REFUSE) {
                            continue;
                        }
                        Object[] args = new Object[method.getParameterCount()];
                        for (int i = 0; i < args.length; i++) {
                            args[i] = method.getParameterTypes()[i] == int.class ? 0 : null;
                        }
                        assertThatThrownBy(() -> method.invoke(c, args)).as(method.getName())
                                .hasRootCauseInstanceOf(IsolationViolationException.class);
                    }
                    assertThat(c.isValid(1)).isTrue();
                }
            });
        }
    }
}
