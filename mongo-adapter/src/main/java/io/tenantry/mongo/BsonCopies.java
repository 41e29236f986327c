package io.tenantry.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

/**
 * Fresh, mutable copies of BSON trees for the rewrite engine.
 *
 * <p>The rewriters edit only their own copies, so a caller's documents are never changed, never
 * shared with the rewritten command, and may even be immutable ({@link org.bson.RawBsonDocument}
 * clones to another immutable document, which is why this copies node by node instead).
 */
final class BsonCopies {

    private BsonCopies() {
    }

    /** Renders {@code bson} with {@code registry} and returns a deep, mutable copy of it. */
    static BsonDocument document(Bson bson, CodecRegistry registry) {
        Objects.requireNonNull(bson, "document must not be null");
        Objects.requireNonNull(registry, "codec registry must not be null");
        return deepCopy(bson.toBsonDocument(BsonDocument.class, registry));
    }

    /** Renders each element of {@code list} with {@code registry} into a deep, mutable copy. */
    static List<BsonDocument> documents(List<? extends Bson> list, CodecRegistry registry) {
        Objects.requireNonNull(list, "pipeline must not be null");
        List<BsonDocument> copies = new ArrayList<>(list.size());
        for (Bson element : list) {
            copies.add(document(element, registry));
        }
        return copies;
    }

    /** Returns a copy of {@code document} whose nested documents and arrays are copies too. */
    static BsonDocument deepCopy(BsonDocument document) {
        BsonDocument copy = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            copy.put(entry.getKey(), deepCopy(entry.getValue()));
        }
        return copy;
    }

    /** Returns {@code value} itself when it is a scalar, else a deep copy of the document or array. */
    static BsonValue deepCopy(BsonValue value) {
        if (value.isDocument()) {
            return deepCopy(value.asDocument());
        }
        if (value.isArray()) {
            BsonArray copy = new BsonArray();
            for (BsonValue element : value.asArray()) {
                copy.add(deepCopy(element));
            }
            return copy;
        }
        return value;
    }
}
