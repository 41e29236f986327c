package io.tenantry.spring.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A server that accepts connections and never says a word: a PostgreSQL that hangs, as one behind a
 * black hole or stuck in a failover does. Closing it drops every connection.
 */
final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> clients = new ArrayList<>();

    SilentServer() {
        try {
            socket = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket client = socket.accept();
                    synchronized (clients) {
                        clients.add(client);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Returns a PostgreSQL server URL without a database that points here. */
    String serverUrl() {
        return "jdbc:postgresql://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    /** Returns a PostgreSQL server URL on a port where nothing listens. */
    static String refusingServerUrl() {
        try (ServerSocket closed = new ServerSocket(0)) {
            return "jdbc:postgresql://127.0.0.1:" + closed.getLocalPort() + "/";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            synchronized (clients) {
                for (Socket client : clients) {
                    client.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
