package io.tenantry.mongo;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;

/** Records the commands the driver sends, as the server receives them (minus connection chatter). */
final class CommandCapture implements CommandListener {

    private static final Set<String> CHATTER = Set.of("hello", "ismaster", "isMaster", "buildinfo", "buildInfo",
            "saslStart", "saslContinue", "endSessions", "ping");

    /** One command: the database it ran in, its name and its whole body. */
    static final class Sent {
        final String database;
        final String name;
        final BsonDocument command;

        Sent(String database, String name, BsonDocument command) {
            this.database = database;
            this.name = name;
            this.command = command;
        }

        @Override
        public String toString() {
            return database + "." + name + " " + command.toJson();
        }
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void commandStarted(CommandStartedEvent event) {
        if (!CHATTER.contains(event.getCommandName())) {
            sent.add(new Sent(event.getDatabaseName(), event.getCommandName(), event.getCommand().clone()));
        }
    }

    synchronized List<Sent> drain() {
        List<Sent> copy = new ArrayList<>(sent);
        sent.clear();
        return copy;
    }
}
