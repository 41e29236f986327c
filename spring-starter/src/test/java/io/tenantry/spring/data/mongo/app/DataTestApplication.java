package io.tenantry.spring.data.mongo.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with Spring Data MongoDB entities and a repository, and Tenantry on the class path. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DataTestApplication {
}
