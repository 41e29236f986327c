package io.tenantry.mongo.lifecycle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Random documents of many shapes for the lifecycle properties: nested documents, arrays, binary (generic
 * and UUID), dates, Decimal128 with their scale, doubles including -0.0, large strings (~100 KB), and ids
 * of seven BSON types. Every draw comes from the given random source, so a seed replays it.
 */
final class Shapes {

    /** The logical collections drawn from; {@code audit.log} has a dot after a valid tenant id on purpose. */
    static final List<String> NAMES = List.of("cards", "decks", "audit.log");

    private Shapes() {
    }

    /**
     * Returns up to three collections of up to {@code maxDocuments} documents each.
     *
     * @param carrying a tenant field value some documents carry as ordinary data (a tenant on a model
     *     other than FIELD may have any field), or null for none
     */
    static Map<String, List<BsonDocument>> data(SplittableRandom random, int maxDocuments, String carrying) {
        Map<String, List<BsonDocument>> data = new LinkedHashMap<>();
        for (String name : NAMES) {
            if (random.nextInt(3) > 0) {
                List<BsonDocument> documents = new ArrayList<>();
                int count = random.nextInt(maxDocuments + 1);
                for (int i = 0; i < count; i++) {
                    boolean carries = carrying != null && random.nextInt(3) == 0;
                    documents.add(document(random, id(random, i), random.nextInt(40) == 0, carries ? carrying : null));
                }
                data.put(name, documents);
            }
        }
        return data;
    }

    /** Returns an id unique within one collection for each {@code i}: the numeric ranges never meet. */
    static BsonValue id(SplittableRandom random, int i) {
        return switch (random.nextInt(8)) {
            case 0 -> new BsonInt32(i);
            case 1 -> new BsonInt64(1_000_000_000_000L + i);
            case 2 -> new BsonString("id-" + i + "-\u00e9");
            case 3 -> new BsonDocument("k", new BsonInt32(i)).append("s", new BsonString("x"));
            case 4 -> new BsonBinary(BsonBinarySubType.UUID_STANDARD, uuid(new UUID(i, random.nextLong())));
            case 5 -> new BsonDecimal128(new Decimal128(new BigDecimal(BigInteger.valueOf(2_000_000 + i), 2)));
            default -> new BsonObjectId(new ObjectId(bytes(random, 12)));
        };
    }

    /** Returns a document with {@code id} first and a few fields of random shapes. */
    static BsonDocument document(SplittableRandom random, BsonValue id, boolean large, String carrying) {
        BsonDocument document = new BsonDocument("_id", id).append("n", new BsonInt32(random.nextInt(5)));
        int fields = random.nextInt(5);
        for (int f = 0; f < fields; f++) {
            document.append("f" + f, value(random, 0));
            if (carrying != null && f == fields / 2) {
                document.append("tenantId", new BsonString(carrying));
            }
        }
        if (carrying != null && !document.containsKey("tenantId")) {
            document.append("tenantId", new BsonString(carrying));
        }
        if (large) {
            char[] text = new char[100_000];
            java.util.Arrays.fill(text, (char) ('a' + random.nextInt(26)));
            document.append("large", new BsonString(new String(text)));
        }
        return document;
    }

    private static BsonValue value(SplittableRandom random, int depth) {
        int kinds = depth < 3 ? 13 : 11;
        return switch (random.nextInt(kinds)) {
            case 0 -> new BsonInt32(random.nextInt());
            case 1 -> new BsonInt64(random.nextLong());
            case 2 -> new BsonDouble(random.nextInt(8) == 0 ? -0.0 : random.nextDouble() * 1e6);
            case 3 -> new BsonString("s" + random.nextInt(1000) + " \u00fc\u20ac");
            case 4 -> BsonBoolean.valueOf(random.nextBoolean());
            case 5 -> BsonNull.VALUE;
            case 6 -> new BsonDateTime(random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L));
            case 7 -> new BsonDecimal128(new Decimal128(new BigDecimal(BigInteger.valueOf(random.nextLong()),
                    random.nextInt(12))));
            case 8 -> new BsonBinary(bytes(random, random.nextInt(40)));
            case 9 -> new BsonBinary(BsonBinarySubType.UUID_STANDARD, uuid(new UUID(random.nextLong(), random.nextLong())));
            case 10 -> new BsonObjectId(new ObjectId(bytes(random, 12)));
            case 11 -> {
                BsonDocument nested = new BsonDocument();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    nested.append("k" + i, value(random, depth + 1));
                }
                yield nested;
            }
            default -> {
                BsonArray array = new BsonArray();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    array.add(value(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] uuid(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
                .array();
    }
}
