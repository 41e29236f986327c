package io.tenantry.tck.inmemory;

import io.tenantry.NameLimits;
import io.tenantry.PhysicalNaming;
import io.tenantry.tck.NamingContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** Runs the naming contract for the namings the card-vault deployment uses. */
class InMemoryNamingContractTest {

    @Nested
    @DisplayName("MongoDB databases named cv_<tenant>")
    class MongoDatabases extends NamingContract {
        @Override
        protected PhysicalNaming naming() {
            return PhysicalNaming.of(NameLimits.MONGODB_DATABASE);
        }

        @Override
        protected String prefix() {
            return "cv_";
        }
    }

    @Nested
    @DisplayName("MongoDB collections named <tenant>.<collection> in database cardvault")
    class MongoCollections extends NamingContract {
        @Override
        protected PhysicalNaming naming() {
            return PhysicalNaming.of(NameLimits.mongodbCollection("cardvault"));
        }

        @Override
        protected String prefix() {
            return "";
        }
    }

    @Nested
    @DisplayName("PostgreSQL schemas named t_<tenant>")
    class PostgresqlSchemas extends NamingContract {
        @Override
        protected PhysicalNaming naming() {
            return PhysicalNaming.of(NameLimits.POSTGRESQL_IDENTIFIER);
        }

        @Override
        protected String prefix() {
            return "t_";
        }
    }
}
