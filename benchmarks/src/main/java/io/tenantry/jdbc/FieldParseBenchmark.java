package io.tenantry.jdbc;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JSqlParser's parse alone, of two of {@link FieldRewriteBenchmark}'s statements, to tell what in a cold
 * rewrite is parsing and what is the thread it runs on. {@code CCJSqlParserUtil.parse(String)}, which
 * Tenantry's rewriter calls, starts a new single-thread executor per call and parses on it (to time a
 * runaway parse out); MyBatis-Plus passes a shared pool instead. {@link #parseOnCallingThread} runs the
 * same code path on the calling thread.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FieldParse</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FieldParseBenchmark {

    @Param({"small", "large"})
    public String statement;

    private String sql;

    @Setup
    public void setUp() {
        sql = FieldRewriteBenchmark.STATEMENTS.get(statement);
    }

    /** As Tenantry's rewriter parses: on a thread of its own, started for the call. */
    @Benchmark
    public Statement parseOnNewThread() throws JSQLParserException {
        return CCJSqlParserUtil.parse(sql);
    }

    /** The same code path on the calling thread: what parsing itself costs. */
    @Benchmark
    public Statement parseOnCallingThread() throws JSQLParserException {
        return CCJSqlParserUtil.parse(sql, CallingThread.INSTANCE, null);
    }

    /** An executor that runs each task on the thread that submits it, and never shuts down. */
    static final class CallingThread extends AbstractExecutorService {

        static final CallingThread INSTANCE = new CallingThread();

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
