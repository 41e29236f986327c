package io.tenantry.examples.cardvaultpg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Card Vault on PostgreSQL: sports-card collections (cards, players, teams, manufacturers) and their
 * users, for many tenants at once. Starter and professional tenants share tables told apart by a
 * {@code tenant_id} column, enterprise tenants get a schema each, dedicated ones a database each; all
 * of it is configured in {@code application.yml} and the tenants table, and the repositories and
 * controllers below never mention a tenant.
 */
@SpringBootApplication
public class CardVaultPgApplication {

    public static void main(String[] args) {
        SpringApplication.run(CardVaultPgApplication.class, args);
    }
}
