package io.tenantry.examples.cardvault;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Card Vault: trading-card collections (cards and binders) for many tenants at once. Free tenants
 * share collections, premium tenants get a collection each, enterprise tenants a database each on a
 * second cluster; all of it is configured in {@code application.yml}, and none of the code below
 * mentions a tenant except to greet one.
 */
@SpringBootApplication
public class CardVaultApplication {

    public static void main(String[] args) {
        SpringApplication.run(CardVaultApplication.class, args);
    }
}
