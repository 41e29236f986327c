package io.tenantry.spring.data.jpa;

import io.tenantry.spring.data.RepositoryIsolationScenario;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * An application with Spring Data JPA repositories on Hibernate, Tenantry's JDBC adapter on the class
 * path, and no MongoDB or Spring Data JDBC: its transactions are Spring's {@code JpaTransactionManager}'s.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
    "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
    "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
    "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration",
    "org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration",
    "org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration",
    "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration"
})
@Import(RepositoryIsolationScenario.TransactionalWork.class)
public class JpaRepositoryApplication {
}
