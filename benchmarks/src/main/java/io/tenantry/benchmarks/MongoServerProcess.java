package io.tenantry.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MongoDB servers (mongo-java-server, memory backend) in a JVM of their own, so that a benchmark's heap
 * holds only the client's objects, and the servers' CPU and GC time can be told apart from the client's. {@link #start} launches this class's {@link #main} as a child {@code java} process on the
 * same class path; the child prints its ports on one line and runs until its standard input closes.
 */
public final class MongoServerProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final List<Integer> ports;

    private MongoServerProcess(Process process, BufferedReader out, List<Integer> ports) {
        this.process = process;
        this.out = out;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.ports = ports;
    }

    /**
     * Starts {@code count} servers in a child JVM with at most {@code heap} of heap (a {@code -Xmx} value,
     * such as {@code 6g}), and waits until they listen. More options for the child JVM (a flight recording,
     * say) come from the system property {@code tenantry.bench.serverJvm}, separated by spaces.
     */
    static MongoServerProcess start(int count, String heap) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        for (String option : System.getProperty("tenantry.bench.serverJvm", "").trim().split(" +")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), MongoServerProcess.class.getName(), Integer.toString(count)));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        while (line != null && !line.startsWith("ports ") && line.startsWith("[")) { // the JVM's own log lines
            System.out.println("server process: " + line);
            line = out.readLine();
        }
        if (line == null || !line.startsWith("ports ")) {
            process.destroyForcibly();
            throw new IOException("The server process did not start (it printed " + line + "); see its errors above.");
        }
        List<Integer> ports = new ArrayList<>();
        for (String port : line.substring("ports ".length()).trim().split(" ")) {
            ports.add(Integer.parseInt(port));
        }
        return new MongoServerProcess(process, out, List.copyOf(ports));
    }

    /** Returns the connection string of server {@code index}, from 0. */
    String uri(int index) {
        return "mongodb://127.0.0.1:" + ports.get(index);
    }

    /** Returns the CPU time the child has used so far, all threads, in nanoseconds (0 if the OS will not say). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Asks the child for the time its collectors have spent so far (G1: pauses), in nanoseconds. */
    long gcNanos() {
        return Long.parseLong(ask("stats"));
    }

    /**
     * Has the child collect all its garbage ({@code System.gc()}), so that what one run left (a dropped copy)
     * is not collected during the next.
     */
    void collectGarbage() {
        ask("gc");
    }

    private synchronized String ask(String command) {
        in.println(command);
        try {
            String line = out.readLine();
            if (line == null || !line.startsWith(command + " ")) {
                throw new IllegalStateException("The server process answered " + line + " to " + command);
            }
            return line.substring(command.length() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the child's resident memory in MiB from Linux's {@code /proc}, or -1 elsewhere. */
    long residentMib() {
        return memoryMib(process.pid(), "VmRSS");
    }

    /**
     * Returns a memory figure of process {@code pid} in MiB from Linux's {@code /proc/<pid>/status}
     * ({@code VmRSS}: resident now, {@code VmHWM}: highest resident), or -1 elsewhere.
     */
    static long memoryMib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Closes the child's input, which ends it, and waits for it (killing it after 10 s). */
    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The child's side: {@code MongoServerProcess <count>} starts that many servers on free loopback ports,
     * prints {@code ports <p1> <p2> ...}, answers each line {@code stats} on its standard input with
     * {@code stats <GC nanoseconds>} and each line {@code gc} with a full collection and {@code gc done}, and
     * stops the servers when its standard input ends.
     */
    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<MongoServer> servers = new ArrayList<>();
        StringBuilder ports = new StringBuilder("ports");
        for (int i = 0; i < count; i++) {
            MongoServer server = new MongoServer(new MemoryBackend());
            server.bind("127.0.0.1", 0);
            InetSocketAddress address = server.getLocalAddress();
            servers.add(server);
            ports.append(' ').append(address.getPort());
        }
        System.out.println(ports);
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.equals("stats")) {
                long gcMillis = 0;
                for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                    gcMillis += Math.max(0, collector.getCollectionTime());
                }
                System.out.println("stats " + gcMillis * 1_000_000);
            } else if (line.equals("gc")) {
                System.gc();
                System.out.println("gc done");
            }
            System.out.flush();
        }
        for (MongoServer server : servers) {
            server.shutdownNow();
        }
    }
}
