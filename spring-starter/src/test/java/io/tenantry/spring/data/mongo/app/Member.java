package io.tenantry.spring.data.mongo.app;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A member of a club, identified by a natural key the application chooses: the e-mail address. */
@Document("members")
public class Member {

    @Id
    private String email;

    private String name;

    public Member() {
    }

    public Member(String email, String name) {
        this.email = email;
        this.name = name;
    }

    public String getEmail() {
        return email;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
