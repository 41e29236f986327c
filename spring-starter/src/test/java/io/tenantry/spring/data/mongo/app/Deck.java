package io.tenantry.spring.data.mongo.app;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/** A deck, indexed by owner and title. */
@Document("decks")
@CompoundIndex(name = "owner_title", def = "{'owner': 1, 'title': -1}")
public class Deck {

    @Id
    private String id;

    private String owner;

    private String title;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }
}
