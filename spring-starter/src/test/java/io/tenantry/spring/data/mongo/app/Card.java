package io.tenantry.spring.data.mongo.app;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/** A card of a collector's vault; card names are unique within a tenant. */
@Document("cards")
public class Card {

    @Id
    private String id;

    @Indexed(unique = true)
    private String name;

    private String owner;

    public Card() {
    }

    public Card(String name, String owner) {
        this.name = name;
        this.owner = owner;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    @Override
    public String toString() {
        return "Card{" + name + ", " + owner + "}";
    }
}
