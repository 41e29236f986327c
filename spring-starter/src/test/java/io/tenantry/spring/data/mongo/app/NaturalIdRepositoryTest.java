package io.tenantry.spring.data.mongo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.spring.EmbeddedMongo;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data repositories with a natural {@code String} {@code @Id} (an e-mail address) on every
 * model, the FIELD model's shared collection included: two tenants use the same ids, and neither
 * the outcome of a write nor any read depends on the other tenant holding them.
 */
@SpringBootTest(classes = DataTestApplication.class, properties = {
    "tenantry.mongodb.tenant-field=tenantId",
    "tenantry.routing.tiers.free.model=field",
    "tenantry.routing.tiers.free.database=sd_vault",
    "tenantry.routing.tiers.premium.model=collection",
    "tenantry.routing.tiers.premium.database=sd_premium",
    "tenantry.routing.tiers.enterprise.model=database",
    "tenantry.routing.tiers.enterprise.store=dedicated",
    "tenantry.routing.tiers.enterprise.prefix=sd_",
    "tenantry.directory.tenants[0].id=free1", "tenantry.directory.tenants[0].tier=free",
    "tenantry.directory.tenants[1].id=free2", "tenantry.directory.tenants[1].tier=free",
    "tenantry.directory.tenants[2].id=prem1", "tenantry.directory.tenants[2].tier=premium",
    "tenantry.directory.tenants[3].id=prem2", "tenantry.directory.tenants[3].tier=premium",
    "tenantry.directory.tenants[4].id=ent1", "tenantry.directory.tenants[4].tier=enterprise",
    "tenantry.directory.tenants[5].id=ent2", "tenantry.directory.tenants[5].tier=enterprise",
    "spring.data.mongodb.auto-index-creation=true"
})
class NaturalIdRepositoryTest {

    @DynamicPropertySource
    static void clusters(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> EmbeddedMongo.main().uri() + "/app");
        registry.add("tenantry.mongodb.clusters.main", EmbeddedMongo.main()::uri);
        registry.add("tenantry.mongodb.clusters.dedicated", EmbeddedMongo.dedicated()::uri);
    }

    @Autowired
    MemberRepository members;

    @Autowired
    MongoTemplate template;

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("field", "free1", "free2"), Arguments.of("collection", "prem1", "prem2"),
                Arguments.of("database", "ent1", "ent2"));
    }

    @BeforeEach
    void emptyClubs() {
        for (String tenant : List.of("free1", "free2", "prem1", "prem2", "ent1", "ent2")) {
            as(tenant, () -> {
                members.deleteAll();
                return null;
            });
        }
    }

    @ParameterizedTest(name = "{0} model")
    @MethodSource("models")
    void twoTenantsUseTheSameNaturalIdsWithoutNoticingEachOther(String model, String a, String b) {
        as(b, () -> members.saveAll(List.of(new Member("ann@example.com", "Bob's Ann"),
                new Member("cid@example.com", "Bob's Cid"))));

        // insert (not save) would fail on a taken id: it succeeds, because the id is not taken in a's data.
        Member ann = as(a, () -> members.insert(new Member("ann@example.com", "Ann")));
        assertThat(ann.getEmail()).isEqualTo("ann@example.com");
        as(a, () -> members.save(new Member("bea@example.com", "Bea")));
        assertThatThrownBy(() -> as(a, () -> members.insert(new Member("ann@example.com", "Ann again"))))
                .as("a's own id is taken in a's own data").isInstanceOf(DuplicateKeyException.class);

        assertThat(as(a, () -> members.findById("ann@example.com")).map(Member::getName)).contains("Ann");
        assertThat(as(b, () -> members.findById("ann@example.com")).map(Member::getName)).contains("Bob's Ann");
        assertThat(as(a, () -> members.existsById("cid@example.com"))).isFalse();
        assertThat(as(a, () -> members.findAllById(List.of("ann@example.com", "bea@example.com", "cid@example.com"))))
                .extracting(Member::getEmail).containsExactlyInAnyOrder("ann@example.com", "bea@example.com");
        assertThat(as(a, () -> members.findAll(Sort.by(Sort.Direction.DESC, "email"))))
                .extracting(Member::getEmail).containsExactly("bea@example.com", "ann@example.com");
        assertThat(as(a, () -> members.findAll(PageRequest.of(0, 1, Sort.by("email"))).getContent()))
                .extracting(Member::getEmail).containsExactly("ann@example.com");
        assertThat(as(a, () -> members.findByNameStartingWithOrderByEmailAsc("")))
                .extracting(Member::getEmail).containsExactly("ann@example.com", "bea@example.com");
        assertThat(as(a, () -> members.withEmails(List.of("ann@example.com", "cid@example.com"))))
                .extracting(Member::getName).containsExactly("Ann");
        assertThat(as(a, () -> members.withEmailsMatching("^[ac]"))).extracting(Member::getName).containsExactly("Ann");
        assertThat(as(a, () -> template.find(Query.query(Criteria.where("email").gt("ann@example.com")),
                Member.class))).extracting(Member::getEmail).containsExactly("bea@example.com");

        // save of an existing id replaces a's document only; an update by id changes a's only.
        as(a, () -> members.save(new Member("ann@example.com", "Ann Smith")));
        as(a, () -> template.updateFirst(Query.query(Criteria.where("email").is("bea@example.com")),
                Update.update("name", "Bea Jones"), Member.class));
        as(a, () -> template.upsert(Query.query(Criteria.where("email").is("cid@example.com")),
                Update.update("name", "Cid"), Member.class));
        assertThat(as(a, () -> members.findAll(Sort.by("email")))).extracting(Member::getName)
                .containsExactly("Ann Smith", "Bea Jones", "Cid");
        assertThat(as(b, () -> members.findAll(Sort.by("email")))).extracting(Member::getName)
                .containsExactly("Bob's Ann", "Bob's Cid");

        as(a, () -> {
            members.deleteById("ann@example.com");
            return null;
        });
        assertThat(as(a, () -> members.existsById("ann@example.com"))).isFalse();
        assertThat(as(b, () -> members.existsById("ann@example.com"))).isTrue();
        assertThat(as(a, () -> members.count())).isEqualTo(2);
        assertThat(as(b, () -> members.count())).isEqualTo(2);
    }

    private static <T> T as(String tenant, Supplier<T> work) {
        return TenantContext.callAs(TenantId.of(tenant), work::get);
    }
}
