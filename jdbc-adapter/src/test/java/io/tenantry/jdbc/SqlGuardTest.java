package io.tenantry.jdbc;

import static io.tenantry.jdbc.SqlGuard.Verdict.PLAIN;
import static io.tenantry.jdbc.SqlGuard.Verdict.SETS_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.jdbc.SqlGuard.Verdict;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlGuardTest {

    static Stream<Arguments> allowed() {
        return Stream.of(
                // What Hibernate, jOOQ and JdbcTemplate send
                allow("a select with joins", "select o.id, c.name from orders o join customers c on c.id ="
                        + " o.customer_id left join notes n using (id) where o.id = ? and c.region in (?, ?)", PLAIN),
                allow("Hibernate's generated aliases", "select u1_0.id,u1_0.name from users u1_0 where u1_0.id=?",
                        PLAIN),
                allow("a jOOQ select with quoted names", "select \"public\".\"book\".\"id\" from \"public\".\"book\""
                        + " where \"public\".\"book\".\"title\" like ? escape '!' limit ? offset ?", PLAIN),
                allow("a CTE", "with recent as (select * from orders where created > now() - interval '1 day')"
                        + " select count(*) from recent", PLAIN),
                allow("a recursive CTE", "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE"
                        + " n < 100) SELECT sum(n) FROM t", PLAIN),
                allow("insert ... returning", "insert into orders (id, total) values (?, ?) returning id", PLAIN),
                allow("insert ... select", "insert into archive select * from orders where closed", PLAIN),
                allow("on conflict do update", "insert into counters (k, v) values (?, 1) on conflict (k) do update"
                        + " set v = counters.v + excluded.v", PLAIN),
                allow("select ... for update", "select * from accounts where id = ? for update skip locked", PLAIN),
                allow("an update", "update accounts set balance = balance - ? where id = ?", PLAIN),
                allow("a delete", "delete from sessions where expires < now()", PLAIN),
                allow("a merge", "merge into stock s using deliveries d on s.item = d.item when matched then update"
                        + " set qty = s.qty + d.qty when not matched then insert (item, qty) values (d.item, d.qty)",
                        PLAIN),
                allow("a data-modifying CTE", "with moved as (delete from inbox where id = ? returning *) insert into"
                        + " archive select * from moved", PLAIN),
                allow("a parenthesised union", "(select 1) union all (select 2) order by 1", PLAIN),
                allow("values and table", "values (1, 'a'), (2, 'b')", PLAIN),
                allow("TABLE t", "TABLE orders", PLAIN),
                allow("information_schema", "select table_name from information_schema.tables where table_schema"
                        + " = current_schema()", PLAIN),
                allow("the allowed pg_ functions", "select pg_sleep(0.01), pg_typeof(1), pg_backend_pid(),"
                        + " pg_size_pretty(pg_column_size(x)), pg_try_advisory_xact_lock(?) from t", PLAIN),
                allow("current_setting", "select current_setting('statement_timeout')", PLAIN),
                allow("names that merely resemble forbidden ones", "select pg, temperature, into_date, regular,"
                        + " lobby, setting, \"pg\" from readings", PLAIN),
                allow("a jsonb ?? operator escaped for the driver", "select * from docs where data??'key' and x = ?",
                        PLAIN),
                // SET of harmless settings
                allow("set local statement_timeout", "set local statement_timeout = 5000", SETS_SESSION),
                allow("SET ... TO", "SET statement_timeout TO '5s'", SETS_SESSION),
                allow("SET SESSION application_name", "SET SESSION application_name = 'billing'", SETS_SESSION),
                allow("SET TIME ZONE", "SET TIME ZONE 'UTC'", SETS_SESSION),
                allow("a quoted mixed-case setting name", "SET \"Statement_Timeout\" = 100", SETS_SESSION),
                allow("SET TRANSACTION", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY", PLAIN),
                allow("SET CONSTRAINTS", "SET CONSTRAINTS ALL DEFERRED", PLAIN),
                // DDL on the tenant's own objects
                allow("create table if not exists", "create table if not exists items (id bigint primary key,"
                        + " name text not null)", PLAIN),
                allow("create unique index concurrently", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_name"
                        + " ON items (lower(name))", PLAIN),
                allow("create or replace view", "create or replace view open_orders as select * from orders where"
                        + " not closed", PLAIN),
                allow("create materialized view", "create materialized view totals as select sum(total) from orders",
                        PLAIN),
                allow("create unlogged table", "create unlogged table cache (k text, v text)", PLAIN),
                allow("create table as", "create table snapshot as select * from orders", PLAIN),
                allow("create type", "create type mood as enum ('ok', 'sad')", PLAIN),
                allow("create sequence", "create sequence if not exists invoice_no start 1000", PLAIN),
                allow("create domain", "create domain price as numeric check (value >= 0)", PLAIN),
                allow("alter table add column", "alter table items add column price numeric(10, 2) default 0",
                        PLAIN),
                allow("renaming a quoted column called owner", "alter table items rename column \"owner\" to holder",
                        PLAIN),
                allow("drop table cascade", "drop table if exists items cascade", PLAIN),
                allow("explain analyze select", "explain analyze select * from orders", PLAIN),
                allow("explain with options", "explain (analyze, format json) select * from orders", PLAIN),
                // Transaction control and the rest of the allowlist
                allow("begin", "begin isolation level repeatable read", PLAIN),
                allow("commit", "commit", PLAIN),
                allow("savepoints", "rollback to savepoint s1", PLAIN),
                allow("lock table", "lock table items in share row exclusive mode", PLAIN),
                allow("truncate", "truncate items restart identity", PLAIN),
                allow("vacuum analyze", "vacuum (analyze) items", PLAIN),
                allow("call a procedure", "call recalculate(?)", PLAIN),
                allow("a cursor without hold", "declare c no scroll cursor without hold for select * from items",
                        PLAIN),
                allow("fetch", "fetch forward 100 from c", PLAIN),
                allow("comment on", "comment on table items is 'what we sell; set role x'", PLAIN),
                allow("refresh materialized view", "refresh materialized view concurrently totals", PLAIN),
                allow("show", "show statement_timeout", PLAIN),
                // Words that only look dangerous: inside literals and comments
                allow("one trailing semicolon", "select 1;", PLAIN),
                allow("trailing semicolons and comments", "select 1 ; ; -- done\n /* really */ ;", PLAIN),
                allow("a semicolon and set role in a string", "select ';', 'set role x; reset all' from t", PLAIN),
                allow("set role in a line comment", "select 1 -- ; set role x", PLAIN),
                allow("set role in a block comment", "select /* ; set role x */ 1", PLAIN),
                allow("set role in a dollar quote", "select $$ ; set role x $$, $q$ $$ ; reset all $q$", PLAIN),
                allow("an escaped quote in an E string", "select E'it\\'s; set role x' from t", PLAIN),
                allow("catalog names inside strings", "select 'pg_class', 'x'::text from t where note = 'regclass'",
                        PLAIN),
                allow("a string continued on a new line", "select 'a; '\n  'set role x' from t", PLAIN),
                allow("a comment that nests around a semicolon", "/* /* */ ; set role x */ select 1", PLAIN),
                allow("empty SQL", "", PLAIN),
                allow("only comments", "-- nothing\n/* at /* all */ */", PLAIN));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                refuse("an unterminated string", "select 'abc", "unterminated"),
                refuse("an unterminated dollar quote", "select $a$ abc $b$", "unterminated"),
                refuse("an unterminated nested comment", "select 1 /* /* */", "unterminated"),
                refuse("an unterminated quoted identifier", "select \"abc from t", "unterminated"),
                refuse("a NUL character", "select 1\u0000; set role x", "NUL"),
                refuse("two statements", "select 1; set role x", "one statement per call"),
                refuse("two statements around a comment", "select 1;/*x*/set role x", "one statement per call"),
                refuse("a statement after a nested comment", "/* /* */ */; set role x", "one statement per call"),
                refuse("a second statement after a continued E string", "select E'x'\n'\\'' ; set role y; --'",
                        "one statement per call"),
                refuse("SET ROLE after a comment", "/* */SET ROLE x", "role"),
                refuse("RESET after a line comment", "-- c\nreset all", "RESET"),
                refuse("DISCARD", "discard all", "DISCARD"),
                refuse("SET SESSION AUTHORIZATION", "set session authorization admin", "role"),
                refuse("SET role as a setting", "set local \"role\" = 'admin'", "role"),
                refuse("SET of a quoted search_path", "SeT \"search_path\" = x", "search_path"),
                refuse("SET of a mixed-case search_path", "SET Search_Path TO public", "search_path"),
                refuse("SET SCHEMA", "set schema 'other'", "search_path"),
                refuse("SET default_transaction_read_only", "set default_transaction_read_only = off",
                        "Connection.setReadOnly"),
                refuse("SET TRANSACTION SNAPSHOT", "set transaction snapshot '00000003-1'", "SNAPSHOT"),
                refuse("SET SESSION CHARACTERISTICS", "set session characteristics as transaction read write",
                        "CHARACTERISTICS"),
                refuse("SET of a custom setting", "set myapp.tenant = 'other'", "SET is allowed only"),
                refuse("SET of an unknown setting", "set standard_conforming_strings = off", "SET is allowed only"),
                refuse("set_config", "select set_config('role', 'x', false)", "set_config"),
                refuse("a quoted catalog", "select \"pg_class\".relname from \"pg_class\"", "catalog"),
                refuse("a qualified catalog", "select * from pg_catalog.pg_namespace", "catalog"),
                refuse("an upper-case catalog", "SELECT * FROM PG_STAT_ACTIVITY", "catalog"),
                refuse("a Unicode-escaped catalog", "select * from U&\"pg\\005fclass\"", "catalog"),
                refuse("a size function", "select pg_relation_size('items')", "catalog"),
                refuse("a session advisory lock", "select pg_advisory_lock(1)", "catalog"),
                refuse("a temporary schema", "create table pg_temp.t (id int)", "catalog"),
                refuse("a regclass cast", "select 'x'::regclass", "object-identifier"),
                refuse("a regtype cast of an OID", "select 16384::oid::regtype", "object-identifier"),
                refuse("a regclass array", "select '{t}'::_regclass", "object-identifier"),
                refuse("to_regclass", "select to_regclass('tenant_b.orders')", "object-identifier"),
                refuse("dblink", "select * from dblink('dbname=other', 'select 1') as t(x int)", "dblink"),
                refuse("large objects", "select lo_import('/etc/passwd')", "large objects"),
                refuse("loread", "select loread(0, 1)", "large objects"),
                refuse("query_to_xml", "select query_to_xml('select 1', true, false, '')", "runs SQL"),
                refuse("ts_stat", "select * from ts_stat('select v from other.t')", "runs SQL"),
                refuse("format_type over OIDs", "select format_type(o::oid, null) from generate_series(1, 99999) o",
                        "OID"),
                refuse("has_schema_privilege", "select has_schema_privilege('tenant_b', 'usage')", "OID"),
                refuse("DO", "do $$ begin end $$", "DO"),
                refuse("COPY", "copy t to stdout", "COPY"),
                refuse("GRANT", "grant select on items to public", "privileges"),
                refuse("REVOKE", "revoke all on items from tenant_b", "privileges"),
                refuse("CREATE ROLE", "create role x login", "provisioning"),
                refuse("CREATE SCHEMA", "create schema if not exists other", "provisioning"),
                refuse("CREATE FUNCTION", "create function f() returns int language sql as 'select 1'",
                        "provisioning"),
                refuse("CREATE EXTENSION", "create extension dblink", "provisioning"),
                refuse("CREATE TRIGGER", "create trigger t before insert on items execute function f()",
                        "provisioning"),
                refuse("ALTER DEFAULT PRIVILEGES", "alter default privileges grant select on tables to public",
                        "provisioning"),
                refuse("ALTER SYSTEM", "alter system set work_mem = '1GB'", "provisioning"),
                refuse("DROP SCHEMA", "drop schema tenant_b cascade", "provisioning"),
                refuse("DROP OWNED", "drop owned by tenant_b", "provisioning"),
                refuse("CREATE TEMP TABLE", "create temp table t (id int)", "temporary"),
                refuse("CREATE GLOBAL TEMPORARY TABLE", "create global temporary table t (id int)", "temporary"),
                refuse("CREATE OR REPLACE TEMP VIEW", "create or replace temp view v as select 1", "temporary"),
                refuse("SELECT INTO", "select * into newtable from items", "INTO"),
                refuse("SELECT INTO in a CTE statement", "with x as (select 1) select * into t2 from x", "INTO"),
                refuse("INTO TEMP behind a column named insert", "select 1 as insert into temp foo", "TEMP"),
                refuse("ALTER ... OWNER TO", "alter table items owner to postgres", "OWNER TO"),
                refuse("ALTER ... SET SCHEMA", "alter table items set schema other", "SET SCHEMA"),
                refuse("a tablespace", "alter table items set tablespace fast", "tablespaces"),
                refuse("a cursor WITH HOLD", "declare c cursor with hold for select 1", "WITH HOLD"),
                refuse("LISTEN", "listen events", "channels"),
                refuse("NOTIFY", "notify events, 'x'", "channels"),
                refuse("PREPARE", "prepare p as select 1", "prepared statements"),
                refuse("EXECUTE", "execute p", "prepared statements"),
                refuse("DEALLOCATE", "deallocate all", "prepared statements"),
                refuse("CHECKPOINT", "checkpoint", "not a statement tenant code may run"),
                refuse("CLUSTER", "cluster items", "not a statement tenant code may run"),
                refuse("REINDEX", "reindex table items", "not a statement tenant code may run"),
                refuse("LOAD", "load 'auto_explain'", "not a statement tenant code may run"),
                refuse("REASSIGN OWNED", "reassign owned by a to b", "privileges"),
                refuse("SECURITY LABEL", "security label on table items is 'secret'", "privileges"),
                refuse("IMPORT FOREIGN SCHEMA", "import foreign schema s from server x into y",
                        "not a statement tenant code may run"),
                refuse("COMMIT PREPARED", "commit prepared 'tx1'", "PREPARED"),
                refuse("EXPLAIN ANALYZE of a temp table", "explain analyze create temp table t as select 1",
                        "temporary"),
                refuse("EXPLAIN of EXECUTE", "explain (analyze) execute p", "EXPLAIN takes"),
                refuse("a quoted command", "\"select\" 1", "does not start with a command"),
                refuse("a placeholder glued to a name", "select 1 as x?$a$ union select 1 from t --$a$",
                        "placeholder"),
                refuse("an E string continued on a new line, which the driver reads differently",
                        "select E'a'\n'b' from t", "spans lines"),
                refuse("a dollar quote glued to a number, which the driver reads differently",
                        "select 1$$x$$ from t", "Put a space before it"),
                refuse("UESCAPE", "select U&\"d!0061t\" UESCAPE '!' from t", "UESCAPE"));
    }

    private static Arguments allow(String name, String sql, Verdict verdict) {
        return Arguments.of(name, sql, verdict);
    }

    private static Arguments refuse(String name, String sql, String reason) {
        return Arguments.of(name, sql, reason);
    }

    @ParameterizedTest(name = "allowed: {0}")
    @MethodSource
    void allowed(String name, String sql, Verdict verdict) {
        assertThat(SqlGuard.check(sql)).isEqualTo(verdict);
    }

    @ParameterizedTest(name = "refused: {0}")
    @MethodSource
    void refused(String name, String sql, String reason) {
        assertThatThrownBy(() -> SqlGuard.check(sql)).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void the_message_quotes_the_start_of_the_sql_on_one_line_and_says_what_to_do() {
        String sql = "select *\nfrom pg_class where relname = '" + "x".repeat(200) + "'";

        assertThatThrownBy(() -> SqlGuard.check(sql)).isInstanceOf(IsolationViolationException.class)
                .hasMessageStartingWith("Refused the SQL \"select * from pg_class where relname = 'xxx")
                .hasMessageContaining("xxx...\": it uses \"pg_class\"")
                .hasMessageContaining("information_schema")
                .hasMessageNotContaining("x".repeat(100))
                .hasMessageNotContaining("\n");
    }

    @Test
    void every_allowed_setting_is_allowed_in_every_form() {
        for (String setting : new String[] {"statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
                "transaction_timeout", "timezone", "datestyle", "intervalstyle", "extra_float_digits",
                "client_min_messages", "application_name", "work_mem", "bytea_output", "jit", "enable_seqscan",
                "enable_indexscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin", "enable_nestloop",
                "random_page_cost", "default_transaction_isolation", "plan_cache_mode"}) {
            assertThat(SqlGuard.check("SET " + setting + " TO DEFAULT")).isEqualTo(SETS_SESSION);
            assertThat(SqlGuard.check("set local " + setting.toUpperCase(Locale.ROOT) + " = 'x'")).isEqualTo(SETS_SESSION);
            assertThat(SqlGuard.check("set session \"" + setting + "\" = 1")).isEqualTo(SETS_SESSION);
        }
    }

    @Test
    void a_set_that_does_not_assign_is_refused() {
        assertThatThrownBy(() -> SqlGuard.check("set statement_timeout from current"))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> SqlGuard.check("set statement_timeout.x = 1"))
                .isInstanceOf(IsolationViolationException.class);
        assertThatThrownBy(() -> SqlGuard.check("set")).isInstanceOf(IsolationViolationException.class);
    }
}
