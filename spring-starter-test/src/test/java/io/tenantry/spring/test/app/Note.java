package io.tenantry.spring.test.app;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A note; it has no tenant field, Tenantry confines it. */
@Document("notes")
public class Note {

    @Id
    private String id;

    private String text;

    public Note() {
    }

    public Note(String text) {
        this.text = text;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }
}
