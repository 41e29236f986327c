package io.tenantry.spring.data.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.IsolationViolationException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.data.RepositoryIsolationScenario;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/** The repository scenario on Spring Data JPA and Hibernate, with Spring's {@code JpaTransactionManager}. */
@SpringBootTest(classes = JpaRepositoryApplication.class)
@DisplayName("Spring Data JPA repositories on Hibernate and Tenantry's routing DataSource")
class SpringDataJpaRepositoryTest extends RepositoryIsolationScenario {

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

    @PersistenceContext
    EntityManager entityManager;

    @Test
    @DisplayName("Hibernate and the transaction manager run on the routing DataSource")
    void theStackRunsOnTheRoutingDataSource() {
        assertThat(dataSource).isSameAs(tenantJdbc.dataSource());
        assertThat(transactionManager).isInstanceOfSatisfying(JpaTransactionManager.class,
                manager -> assertThat(manager.getDataSource()).isSameAs(tenantJdbc.dataSource()));
    }

    @Test
    @DisplayName("A tenant's persistence context is never asked for another tenant: the switch is refused before it answers")
    void thePersistenceContextNeverServesAnotherTenant() {
        CardRow mine = as("free1", () -> cards().create("mox sapphire", 70));

        run("free1", () -> transactions.executeWithoutResult(status -> {
            Card cached = entityManager.find(Card.class, mine.id());
            assertThat(entityManager.contains(cached)).as("held in the persistence context, found again without SQL")
                    .isTrue();
            assertThatThrownBy(() -> TenantContext.callAs(TenantId.of("free2"),
                    () -> entityManager.find(Card.class, mine.id())))
                    .isInstanceOf(IsolationViolationException.class)
                    .hasMessageContaining("\"free1\"").hasMessageContaining("\"free2\"");
        }));

        Card found = as("free2", () -> transactions.execute(status -> entityManager.find(Card.class, mine.id())));
        assertThat(found).as("in its own persistence context, the other tenant does not find the card").isNull();
        assertThat(as("free1", () -> cards().findById(mine.id()))).contains(mine);
    }

    @Override
    protected Cards cards() {
        return new Cards() {

            @Override
            public CardRow create(String name, int value) {
                return row(repository.saveAndFlush(new Card(null, name, value)));
            }

            @Override
            public CardRow save(CardRow card) {
                return row(repository.save(new Card(card.id(), card.name(), card.value())));
            }

            @Override
            public Optional<CardRow> findById(UUID id) {
                return repository.findById(id).map(SpringDataJpaRepositoryTest::row);
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
                return repository.findByNameOrderByValue(name).stream().map(SpringDataJpaRepositoryTest::row).toList();
            }

            @Override
            public List<CardRow> worthAtLeast(int value) {
                return repository.findWorthAtLeast(value).stream().map(SpringDataJpaRepositoryTest::row).toList();
            }

            @Override
            public int revalue(UUID id, int value) {
                return repository.revalue(id, value);
            }

            @Override
            public List<CardRow> findAll() {
                return repository.findAll().stream().map(SpringDataJpaRepositoryTest::row).toList();
            }

            @Override
            public long count() {
                return repository.count();
            }

            @Override
            public void deleteAll() {
                repository.deleteAllInBatch();
            }

            @Override
            public CardRow createStamped(String name, int value, String tenantId) {
                StampedCard card = stamped.saveAndFlush(new StampedCard(name, value, tenantId));
                return new CardRow(Objects.requireNonNull(card.getId()), card.getName(), card.getValue());
            }
        };
    }

    private static CardRow row(Card card) {
        return new CardRow(Objects.requireNonNull(card.getId()), card.getName(), card.getValue());
    }
}
