package io.tenantry.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tenantry.IsolationModel;
import io.tenantry.QuotaExceededException;
import io.tenantry.TenantContext;
import io.tenantry.TenantId;
import io.tenantry.tck.Trials;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * For any sequence of inserts, insertMany batches with duplicate ids (ordered and unordered), upserts and
 * deletes, on every model, each write is refused exactly when a model of the tenant's cards says it would pass
 * the quota, and after every step the count equals the store (counted around Tenantry), which never holds more
 * than the limit.
 */
class QuotaProperties {

    private static final long LIMIT = 4;
    private static final int IDS = 7;

    private static QuotaServers servers;

    @BeforeAll
    static void start() {
        servers = new QuotaServers(LIMIT);
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private enum Kind { INSERT, INSERT_MANY, INSERT_MANY_UNORDERED, UPSERT, DELETE, DELETE_MANY }

    private record Step(Kind kind, List<Integer> ids) {
        @Override
        public String toString() {
            return kind + "" + ids;
        }
    }

    private static List<Step> steps(SplittableRandom random) {
        List<Step> steps = new ArrayList<>();
        int length = random.nextInt(1, 16);
        for (int i = 0; i < length; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            int size = kind == Kind.INSERT || kind == Kind.UPSERT || kind == Kind.DELETE ? 1 : random.nextInt(1, 4);
            List<Integer> ids = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                ids.add(random.nextInt(IDS));
            }
            steps.add(new Step(kind, ids));
        }
        return steps;
    }

    @ParameterizedTest
    @EnumSource(IsolationModel.class)
    @DisplayName("after every write the count equals the store, which never passes the limit; refusals exactly when the model says")
    void countsFollowTheStore(IsolationModel model) {
        Trials.forAllLists("on the " + model + " model, the count follows the store under the quota", 25,
                QuotaProperties::steps, steps -> {
                    TenantId tenant = servers.fresh(model);
                    Set<Integer> held = new LinkedHashSet<>();
                    for (Step step : steps) {
                        boolean refused = TenantContext.callAs(tenant, () -> run(step));
                        assertThat(refused).as("%s refused, holding %s", step, held).isEqualTo(expect(step, held));
                        long stored = servers.raw(tenant);
                        assertThat(stored).as("stored after %s", step).isEqualTo(held.size())
                                .isLessThanOrEqualTo(LIMIT);
                        long counted = servers.counted(tenant);
                        assertThat(counted == -1 ? 0 : counted).as("counted after %s", step).isEqualTo(stored);
                    }
                });
    }

    /** Runs {@code step}; returns whether the quota refused it. */
    private static boolean run(Step step) {
        try {
            switch (step.kind) {
                case INSERT -> servers.cards.insertOne(card(step.ids.get(0)));
                case INSERT_MANY -> servers.cards.insertMany(step.ids.stream().map(QuotaProperties::card).toList());
                case INSERT_MANY_UNORDERED -> servers.cards.insertMany(step.ids.stream().map(QuotaProperties::card)
                        .toList(), new InsertManyOptions().ordered(false));
                case UPSERT -> servers.cards.updateOne(Filters.eq("_id", step.ids.get(0)), Updates.inc("n", 1),
                        new UpdateOptions().upsert(true));
                case DELETE -> servers.cards.deleteOne(Filters.eq("_id", step.ids.get(0)));
                case DELETE_MANY -> servers.cards.deleteMany(Filters.in("_id", step.ids));
            }
        } catch (QuotaExceededException e) {
            return true;
        } catch (MongoWriteException | MongoBulkWriteException duplicate) {
            // an id held already: what was written is what the model expects
        }
        return false;
    }

    private static Document card(int id) {
        return new Document("_id", id);
    }

    /** Applies {@code step} to the ids held; returns whether the quota refuses it. */
    private static boolean expect(Step step, Set<Integer> held) {
        switch (step.kind) {
            case INSERT, INSERT_MANY, INSERT_MANY_UNORDERED -> {
                if (held.size() + step.ids.size() > LIMIT) {
                    return true;
                }
                for (int id : step.ids) {
                    if (!held.add(id) && step.kind != Kind.INSERT_MANY_UNORDERED) {
                        break;
                    }
                }
                return false;
            }
            case UPSERT -> {
                if (held.contains(step.ids.get(0))) {
                    return false;
                }
                if (held.size() >= LIMIT) {
                    return true;
                }
                held.add(step.ids.get(0));
                return false;
            }
            default -> {
                step.ids.forEach(held::remove);
                return false;
            }
        }
    }
}
