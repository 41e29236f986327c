package io.tenantry.spring.data.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.spring.data.RepositoryIsolationScenario;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/** The repository scenario on Spring Data JDBC, with Spring's {@code DataSourceTransactionManager}. */
@SpringBootTest(classes = JdbcRepositoryApplication.class)
@DisplayName("Spring Data JDBC repositories on Tenantry's routing DataSource")
class SpringDataJdbcRepositoryTest extends RepositoryIsolationScenario {

    @DynamicPropertySource
    static void placements(DynamicPropertyRegistry registry) {
        placeTenants(registry);
    }

    @Autowired
    CardRepository repository;

    @Autowired
    StampedCardRepository stamped;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    @DisplayName("The repositories and the transaction manager run on the routing DataSource")
    void theStackRunsOnTheRoutingDataSource() {
        assertThat(dataSource).isSameAs(tenantJdbc.dataSource());
        assertThat(transactionManager).isInstanceOfSatisfying(DataSourceTransactionManager.class,
                manager -> assertThat(manager.getDataSource()).isSameAs(tenantJdbc.dataSource()));
    }

    @Override
    protected Cards cards() {
        return new Cards() {

            @Override
            public CardRow create(String name, int value) {
                return row(repository.save(new Card(null, name, value)));
            }

            @Override
            public CardRow save(CardRow card) {
                return row(repository.save(new Card(card.id(), card.name(), card.value())));
            }

            @Override
            public Optional<CardRow> findById(UUID id) {
                return repository.findById(id).map(SpringDataJdbcRepositoryTest::row);
            }

            @Override
            public boolean existsById(UUID id) {
                return repository.existsById(id);
            }

            @Override
            public void deleteById(UUID id) {
                repository.deleteById(id);
            }

            @Override
            public List<CardRow> findByName(String name) {
                return repository.findByNameOrderByValue(name).stream().map(SpringDataJdbcRepositoryTest::row).toList();
            }

            @Override
            public List<CardRow> worthAtLeast(int value) {
                return repository.findWorthAtLeast(value).stream().map(SpringDataJdbcRepositoryTest::row).toList();
            }

            @Override
            public int revalue(UUID id, int value) {
                return repository.revalue(id, value);
            }

            @Override
            public List<CardRow> findAll() {
                return StreamSupport.stream(repository.findAll().spliterator(), false)
                        .map(SpringDataJdbcRepositoryTest::row).toList();
            }

            @Override
            public long count() {
                return repository.count();
            }

            @Override
            public void deleteAll() {
                repository.deleteAll();
            }

            @Override
            public CardRow createStamped(String name, int value, String tenantId) {
                StampedCard card = stamped.save(new StampedCard(null, name, value, tenantId));
                return new CardRow(Objects.requireNonNull(card.getId()), card.getName(), card.getValue());
            }
        };
    }

    private static CardRow row(Card card) {
        return new CardRow(Objects.requireNonNull(card.getId()), card.getName(), card.getValue());
    }
}
