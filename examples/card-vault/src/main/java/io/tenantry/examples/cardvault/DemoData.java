package io.tenantry.examples.cardvault;

import io.tenantry.Tenant;
import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Puts a few cards into every empty vault at start-up ({@code cardvault.seed-demo-data=false} turns
 * it off). Outside a request no tenant is bound, so it binds each tenant in turn, as any job working
 * for many tenants does.
 */
@Component
@ConditionalOnBooleanProperty(name = "cardvault.seed-demo-data", matchIfMissing = true)
class DemoData implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private static final Map<String, List<Card>> CARDS = Map.of(
            "pallet-town", List.of(card("Charizard", "Base Set", "4/102", "Holo Rare"),
                    card("Bulbasaur", "Base Set", "44/102", "Common"), card("Squirtle", "Base Set", "63/102", "Common")),
            "cerulean", List.of(card("Starmie", "Base Set", "64/102", "Common"),
                    card("Psyduck", "Fossil", "53/62", "Common")),
            "saffron", List.of(card("Alakazam", "Base Set", "1/102", "Holo Rare"),
                    card("Mr. Mime", "Jungle", "6/64", "Holo Rare")),
            "celadon", List.of(card("Venusaur", "Base Set", "15/102", "Holo Rare"),
                    card("Vileplume", "Jungle", "15/64", "Holo Rare")),
            "indigo", List.of(card("Dragonite", "Fossil", "4/62", "Holo Rare"),
                    card("Mewtwo", "Base Set", "10/102", "Holo Rare"), card("Gengar", "Fossil", "5/62", "Holo Rare")),
            "viridian", List.of(card("Nidoking", "Base Set", "11/102", "Holo Rare"),
                    card("Persian", "Jungle", "42/64", "Uncommon")));

    private final TenantDirectory tenants;
    private final CardRepository cards;
    private final BinderRepository binders;

    DemoData(TenantDirectory tenants, CardRepository cards, BinderRepository binders) {
        this.tenants = tenants;
        this.cards = cards;
        this.binders = binders;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        for (Tenant tenant : tenants.list()) {
            List<Card> demo = CARDS.get(tenant.id().value());
            if (demo == null || !tenant.status().allowsWrites()) {
                continue;
            }
            TenantContext.runAs(tenant.id(), () -> {
                if (cards.count() == 0) {
                    List<Card> saved = cards.saveAll(demo);
                    binders.save(new Binder(null, "Favourites", List.of(saved.get(0).id())));
                    LOG.info("Seeded {} demo cards into the vault of {} ({} tier)", saved.size(), tenant.id(),
                            tenant.tier());
                }
            });
        }
    }

    private static Card card(String name, String set, String number, String rarity) {
        return new Card(null, name, set, number, rarity, "Near Mint");
    }
}
