package io.tenantry.spring.data.jdbc;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A card of a collector's vault, written with no thought of tenants; PostgreSQL gives it its id. */
@Table("cards")
public class Card {

    @Id
    private @Nullable UUID id;

    private String name;

    private int value;

    public Card(@Nullable UUID id, String name, int value) {
        this.id = id;
        this.name = name;
        this.value = value;
    }

    public @Nullable UUID getId() {
        return id;
    }

    public void setId(@Nullable UUID id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getValue() {
        return value;
    }

    public void setValue(int value) {
        this.value = value;
    }
}
