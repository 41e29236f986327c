package io.tenantry.benchmarks;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bson.Document;

/**
 * Field-service work orders of about 490 bytes of BSON each (430 to 560), as {@link MongoMoveBenchmark} stores them:
 * strings, 32- and 64-bit integers, doubles, dates, a nested customer with a nested address, an array of
 * tags and an array of part lines. Deterministic for a seed; not thread-safe.
 */
final class WorkOrders {

    private static final String[] JOBS = {"Replace compressor", "Service boiler", "Inspect fire alarm",
        "Repair walk-in freezer", "Calibrate thermostat", "Clean ductwork", "Replace water heater",
        "Fix leaking valve", "Install heat pump", "Annual HVAC check", "Reset breaker panel", "Replace filters"};
    private static final String[] STATUSES = {"open", "scheduled", "in_progress", "on_hold", "done"};
    private static final String[] CITIES = {"Lyon", "Leeds", "Porto", "Gdansk", "Utrecht", "Bilbao", "Graz", "Turku"};
    private static final String[] STREETS = {"Station Road", "Rue de la Paix", "Market Street", "Hauptstrasse",
        "Avenida da Liberdade", "Church Lane"};
    private static final String[] TAGS = {"hvac", "warranty", "urgent", "repeat", "contract", "after-hours",
        "parts-ordered", "safety"};
    private static final String[] WORDS = {"customer", "reports", "noise", "from", "unit", "on", "the", "roof",
        "access", "via", "rear", "door", "ask", "for", "site", "manager", "before", "noon", "bring", "ladder"};
    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z

    private final SplittableRandom random;

    WorkOrders(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Returns work order {@code number}, whose {@code _id} is {@code number} as a 64-bit integer. */
    Document next(long number) {
        long created = START + number * 37_000L + random.nextInt(60_000);
        String city = CITIES[random.nextInt(CITIES.length)];
        String street = (1 + random.nextInt(240)) + " " + STREETS[random.nextInt(STREETS.length)];
        Document address = new Document("street", street)
                .append("city", city)
                .append("postcode", String.format(Locale.ROOT, "%05d", random.nextInt(100_000)));
        Document customer = new Document("name", "Customer " + random.nextInt(50_000))
                .append("email", "ops" + random.nextInt(10_000) + "@" + city.toLowerCase(Locale.ROOT) + ".test")
                .append("address", address);
        List<String> tags = new ArrayList<>();
        for (int i = random.nextInt(1, 3); i > 0; i--) {
            tags.add(TAGS[random.nextInt(TAGS.length)]);
        }
        List<Document> parts = new ArrayList<>();
        for (int i = random.nextInt(1, 3); i > 0; i--) {
            parts.add(new Document("sku", "P-" + random.nextInt(10_000, 99_999))
                    .append("quantity", random.nextInt(1, 6))
                    .append("unitPrice", Math.round(random.nextDouble(1, 400) * 100) / 100.0));
        }
        StringBuilder notes = new StringBuilder();
        for (int i = random.nextInt(2, 7); i > 0; i--) {
            notes.append(WORDS[random.nextInt(WORDS.length)]).append(i > 1 ? " " : ".");
        }
        return new Document("_id", number)
                .append("number", String.format(Locale.ROOT, "WO-%08d", number))
                .append("title", JOBS[random.nextInt(JOBS.length)] + " at site " + random.nextInt(900))
                .append("status", STATUSES[random.nextInt(STATUSES.length)])
                .append("priority", random.nextInt(1, 6))
                .append("estimateHours", Math.round(random.nextDouble(0.5, 16) * 4) / 4.0)
                .append("createdAt", new Date(created))
                .append("dueAt", new Date(created + random.nextInt(1, 30) * 86_400_000L))
                .append("customer", customer)
                .append("tags", tags)
                .append("parts", parts)
                .append("notes", notes.toString());
    }
}
