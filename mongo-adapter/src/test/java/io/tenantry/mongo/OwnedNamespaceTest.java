package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoNamespace;
import io.tenantry.IsolationViolationException;
import io.tenantry.TenantId;
import io.tenantry.tck.Trials;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.junit.jupiter.api.Test;

/** Name mapping of the COLLECTION and DATABASE models, without a server. */
class OwnedNamespaceTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final CodecRegistry CODECS = com.mongodb.MongoClientSettings.getDefaultCodecRegistry();

    private final Map<String, String> shortened = OwnedNamespace.newShortenedNames();
    private final OwnedNamespace acme = OwnedNamespace.shared(ACME, "cardvault", shortened);

    @Test
    void shared_names_are_prefixed_by_the_tenant_and_map_back() {
        assertThat(acme.physical("cards")).isEqualTo("acme.cards");
        assertThat(acme.physical("a.b")).isEqualTo("acme.a.b");
        assertThat(acme.logical("acme.a.b")).isEqualTo("a.b");
        assertThat(acme.logical("acme-x.cards")).isNull();
        assertThat(acme.logical("acme_x.cards")).isNull();
        assertThat(acme.logical("bravo.acme.cards")).isNull();
        assertThat(acme.logical("system.views")).isNull();
        assertThat(acme.owns("acme-x.cards")).isFalse();
        assertThatThrownBy(() -> acme.physical("system.views")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acme.collection("sys$tem")).isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void shortened_names_map_back_once_tenantry_has_seen_them() {
        String logical = "history_" + "x".repeat(300);
        String physical = OwnedNamespace.shared(ACME, "cardvault", OwnedNamespace.newShortenedNames()).physical(logical);
        assertThat(physical).hasSize(255 - "cardvault".length() - 1).startsWith("acme.history_");
        assertThat(acme.owns(physical)).isTrue();
        assertThat(acme.logical(physical)).as("not seen through this model yet").isNull();
        acme.physical(logical);
        assertThat(acme.logical(physical)).isEqualTo(logical);
        assertThat(shortened).containsEntry(physical, logical);
    }

    @Test
    void rename_targets_stay_in_the_database_and_are_mapped() {
        assertThat(acme.renameTarget(new MongoNamespace("cardvault", "archive")))
                .isEqualTo(new MongoNamespace("cardvault", "acme.archive"));
        assertThatThrownBy(() -> acme.renameTarget(new MongoNamespace("other", "archive")))
                .isInstanceOf(IsolationViolationException.class).hasMessageContaining("\"other\"");
        OwnedNamespace own = OwnedNamespace.dedicated(ACME, "cv_acme");
        assertThat(own.renameTarget(new MongoNamespace("cv_acme", "archive")))
                .isEqualTo(new MongoNamespace("cv_acme", "archive"));
        assertThatThrownBy(() -> own.renameTarget(new MongoNamespace("cv_bravo", "archive")))
                .isInstanceOf(IsolationViolationException.class);
    }

    @Test
    void listing_filters_are_mapped_and_always_narrowed_to_the_tenant() {
        BsonDocument filter = BsonDocument.parse("{name: 'cards', type: 'collection', $or: [{name: {$in: ['a', 'b']}},"
                + " {'options.viewOn': {$ne: 'c'}}], options: {viewOn: 'd'}}");
        BsonDocument physical = CollectionNameFilter.toPhysical(filter, acme);
        assertThat(physical).isEqualTo(BsonDocument.parse("{name: 'acme.cards', type: 'collection', $or: [{name: {$in:"
                + " ['acme.a', 'acme.b']}}, {'options.viewOn': {$ne: 'acme.c'}}], options: {viewOn: 'acme.d'}}"));
        assertThat(CollectionNameFilter.ownedOnly(physical, acme))
                .isEqualTo(new BsonDocument("$and", new org.bson.BsonArray(List.of(
                        new BsonDocument("name", new org.bson.BsonRegularExpression("^acme\\.")), physical))));
        for (String refused : List.of("{name: {$regex: 'c'}}", "{name: {$gt: 'a'}}", "{$expr: {$eq: ['$name', 'x']}}",
                "{$and: [{name: {$not: {$eq: 'x'}}}]}")) {
            assertThatThrownBy(() -> CollectionNameFilter.toPhysical(BsonDocument.parse(refused), acme))
                    .as(refused).isInstanceOf(IsolationViolationException.class);
        }
        OwnedNamespace own = OwnedNamespace.dedicated(ACME, "cv_acme");
        assertThat(CollectionNameFilter.ownedOnly(new BsonDocument(), own)).isEmpty();
    }

    @Test
    void listed_collections_and_views_get_logical_names() {
        BsonDocument view = Document.parse("{name: 'acme.firsts', type: 'view', options: {viewOn: 'acme.cards',"
                + " pipeline: []}}").toBsonDocument(BsonDocument.class, CODECS);
        assertThat(SharedDatabaseListings.toLogical(view, acme)).isEqualTo(BsonDocument.parse(
                "{name: 'firsts', type: 'view', options: {viewOn: 'cards', pipeline: []}}"));
        assertThat(view.getString("name").getValue()).as("input untouched").isEqualTo("acme.firsts");
        assertThat(SharedDatabaseListings.toLogical(BsonDocument.parse("{name: 'bravo.cards'}"), acme)).isNull();
    }

    /** Two tenants (perhaps the same) and a logical name for each; never the same tenant and name twice. */
    record TwoNames(String a, String x, String b, String y) {
    }

    @Test
    void two_tenants_never_share_a_physical_name() {
        Trials.forAll("two tenants never share a physical name", 1000, OwnedNamespaceTest::twoNames, names -> {
            String a = names.a();
            String b = names.b();
            Map<String, String> seen = OwnedNamespace.newShortenedNames();
            String first = OwnedNamespace.shared(TenantId.of(a), "cardvault", seen).physical(names.x());
            String second = OwnedNamespace.shared(TenantId.of(b), "cardvault", seen).physical(names.y());
            assertThat(first).isNotEqualTo(second);
            assertThat(OwnedNamespace.shared(TenantId.of(b), "cardvault", seen).logical(first))
                    .isEqualTo(a.equals(b) ? names.x() : null);
        });
    }

    /**
     * Tenant ids that prefix each other or differ only in punctuation, and logical names that contain
     * a tenant's prefix or come near or far beyond the 255-byte namespace limit, so get shortened.
     */
    private static TwoNames twoNames(SplittableRandom random) {
        List<String> tenants = List.of("acme", "acme-x", "acme_x", "a", "ac", "bravo", "t" + "1".repeat(62));
        List<String> logicals = List.of("cards", "x.cards", "acme.cards", "cards.x", "c", "y".repeat(240),
                "y".repeat(241), "z".repeat(300));
        while (true) {
            TwoNames names = new TwoNames(Draw.oneOf(random, tenants), Draw.oneOf(random, logicals),
                    Draw.oneOf(random, tenants), Draw.oneOf(random, logicals));
            if (!names.a().equals(names.b()) || !names.x().equals(names.y())) {
                return names;
            }
        }
    }
}
