package io.tenantry.spring.data.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.IndexOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.index.TextIndexed;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

class EntityIndexDeclarationsTest {

    @org.springframework.data.mongodb.core.mapping.Document("cards")
    static class Card {
        @Id
        String id;

        @Indexed(unique = true, sparse = true, name = "card_name")
        String name;

        @Indexed(expireAfterSeconds = 3600)
        java.util.Date seen;

        @TextIndexed
        String text;
    }

    @org.springframework.data.mongodb.core.mapping.Document("cards")
    @CompoundIndex(name = "owner_name", def = "{'owner': 1, 'name': -1}")
    static class GradedCard {
        @Id
        String id;

        @Indexed(unique = true, sparse = true, name = "card_name")
        String name;

        String owner;
    }

    @org.springframework.data.mongodb.core.mapping.Document("plain")
    static class Plain {
        @Id
        String id;
    }

    static class NotADocument {
        @Indexed
        String ignored;
    }

    @Test
    void resolvesTheIndexesOfEveryDocumentByCollectionOnceEach() {
        MongoMappingContext context = new MongoMappingContext();
        context.setInitialEntitySet(Set.of(Card.class, GradedCard.class, Plain.class, NotADocument.class));
        context.afterPropertiesSet();

        Map<String, List<EntityIndexDeclarations.Index>> indexes = new EntityIndexDeclarations(context).resolve();

        assertThat(indexes).containsOnlyKeys("cards", "plain");
        assertThat(indexes.get("plain")).isEmpty();
        assertThat(indexes.get("cards")).extracting(index -> index.keys).containsExactlyInAnyOrder(
                new Document("name", 1), new Document("seen", 1), new Document("text", "text"),
                new Document("owner", 1).append("name", -1));
    }

    @Test
    void convertsTheResolvedOptionsFaithfully() {
        IndexOptions unique = IndexOptionsConversion.toIndexOptions(new Document("name", "card_name")
                .append("unique", true).append("sparse", true));
        assertThat(unique.getName()).isEqualTo("card_name");
        assertThat(unique.isUnique()).isTrue();
        assertThat(unique.isSparse()).isTrue();
        IndexOptions ttl = IndexOptionsConversion.toIndexOptions(new Document("expireAfterSeconds", 3600L)
                .append("partialFilterExpression", new Document("x", 1))
                .append("collation", new Document("locale", "fr").append("strength", 2)));
        assertThat(ttl.getExpireAfter(TimeUnit.SECONDS)).isEqualTo(3600);
        assertThat(ttl.getPartialFilterExpression()).isEqualTo(new Document("x", 1));
        assertThat(ttl.getCollation().getLocale()).isEqualTo("fr");
        assertThatThrownBy(() -> IndexOptionsConversion.toIndexOptions(new Document("storageEngine", new Document())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("storageEngine");
    }
}
