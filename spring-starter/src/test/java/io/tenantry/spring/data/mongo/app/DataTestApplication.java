package io.tenantry.spring.data.mongo.app;

import io.tenantry.spring.NoSqlDatabase;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with Spring Data MongoDB entities and a repository, and Tenantry on the class path. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = NoSqlDatabase.DATA_SOURCE)
public class DataTestApplication {
}
