package io.tenantry.spring.data.jdbc;

import io.tenantry.spring.data.RepositoryIsolationScenario;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * An application with Spring Data JDBC repositories, Tenantry's JDBC adapter on the class path, and no
 * MongoDB or JPA: its transactions are Spring's {@code DataSourceTransactionManager}'s.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
    "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
    "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
    "org.springframework.boot.data.mongodb.autoconfigure.DataMongoRepositoriesAutoConfiguration",
    "org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration",
    "org.springframework.boot.mongodb.autoconfigure.metrics.MongoMetricsAutoConfiguration",
    "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
    "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"
})
@Import(RepositoryIsolationScenario.TransactionalWork.class)
public class JdbcRepositoryApplication {
}
