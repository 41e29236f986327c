package io.tenantry.spring.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application as a user writes it: one entity, one repository, Tenantry configured in application.yml. */
@SpringBootApplication
public class NotesApplication {
}
