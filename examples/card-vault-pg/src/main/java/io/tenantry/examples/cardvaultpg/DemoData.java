package io.tenantry.examples.cardvaultpg;

import io.tenantry.TenantContext;
import io.tenantry.TenantDirectory;
import io.tenantry.TenantId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Six demo tenants, two on each isolation model, created through {@link TenantOnboarding} like any other
 * when they are missing from the tenants table, and a few cards seeded into each empty vault. Work
 * outside a request: each vault is filled with its tenant bound by {@link TenantContext#runAs}.
 * {@code cardvault.seed-demo-data=false} turns it off.
 */
@Component
@ConditionalOnProperty(name = "cardvault.seed-demo-data", havingValue = "true", matchIfMissing = true)
class DemoData implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private record DemoCard(String title, int year, String player, String team, String league, String manufacturer) {
    }

    private record DemoTenant(TenantOnboarding.NewTenant tenant, List<DemoCard> cards) {
    }

    private static final List<DemoTenant> TENANTS = List.of(
            demo("acme", "Acme Card Shop", "starter", false,
                    new DemoCard("1989 Upper Deck Ken Griffey Jr. #1", 1989, "Ken Griffey Jr.", "Seattle Mariners", "MLB",
                            "Upper Deck"),
                    new DemoCard("1952 Topps Mickey Mantle #311", 1952, "Mickey Mantle", "New York Yankees", "MLB", "Topps")),
            demo("bravo", "Bravo Collectibles", "professional", false,
                    new DemoCard("1986 Fleer Michael Jordan #57", 1986, "Michael Jordan", "Chicago Bulls", "NBA", "Fleer")),
            demo("globex", "Globex Corporation", "enterprise", false,
                    new DemoCard("2003 Upper Deck LeBron James #1", 2003, "LeBron James", "Cleveland Cavaliers", "NBA",
                            "Upper Deck")),
            demo("initech", "Initech", "enterprise", false,
                    new DemoCard("1979 O-Pee-Chee Wayne Gretzky #18", 1979, "Wayne Gretzky", "Edmonton Oilers", "NHL",
                            "O-Pee-Chee")),
            demo("umbrella", "Umbrella Holdings", "enterprise", true,
                    new DemoCard("2000 Playoff Contenders Tom Brady #144", 2000, "Tom Brady", "New England Patriots", "NFL",
                            "Playoff")),
            demo("wayne", "Wayne Enterprises", "enterprise", true,
                    new DemoCard("1909 T206 Honus Wagner", 1909, "Honus Wagner", "Pittsburgh Pirates", "MLB",
                            "American Tobacco Company")));

    private final TenantDirectory directory;
    private final TenantOnboarding onboarding;
    private final CardRepository cards;
    private final PlayerRepository players;
    private final TeamRepository teams;
    private final ManufacturerRepository manufacturers;

    DemoData(TenantDirectory directory, TenantOnboarding onboarding, CardRepository cards, PlayerRepository players,
            TeamRepository teams, ManufacturerRepository manufacturers) {
        this.directory = directory;
        this.onboarding = onboarding;
        this.cards = cards;
        this.players = players;
        this.teams = teams;
        this.manufacturers = manufacturers;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        for (DemoTenant demo : TENANTS) {
            TenantId id = TenantId.of(demo.tenant().id());
            if (directory.find(id).isEmpty()) {
                onboarding.create(demo.tenant());
            }
            TenantContext.runAs(id, () -> {
                if (cards.count() == 0) {
                    demo.cards().forEach(this::seed);
                    LOG.info("Seeded {} demo card(s) into the vault of {} ({} tier)", demo.cards().size(), id,
                            demo.tenant().tier());
                }
            });
        }
    }

    /** Each demo card gets a manufacturer, team and player of its own: the demo vaults repeat none. */
    private void seed(DemoCard card) {
        Manufacturer manufacturer = manufacturers.save(new Manufacturer(null, card.manufacturer()));
        Team team = teams.save(new Team(null, card.team(), card.league()));
        Player player = players.save(new Player(null, card.player(), team.id()));
        cards.save(new Card(null, card.title(), card.year(), "Near Mint", player.id(), manufacturer.id()));
    }

    private static DemoTenant demo(String id, String name, String tier, boolean dedicatedDatabase, DemoCard... cards) {
        return new DemoTenant(new TenantOnboarding.NewTenant(id, name, tier, null, dedicatedDatabase), List.of(cards));
    }
}
