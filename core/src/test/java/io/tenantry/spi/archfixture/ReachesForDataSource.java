package io.tenantry.spi.archfixture;

import javax.sql.DataSource;

/** An SPI-looking class that names a store type, for proving the architecture rules can fail. */
public interface ReachesForDataSource {

    DataSource dataSource();
}
