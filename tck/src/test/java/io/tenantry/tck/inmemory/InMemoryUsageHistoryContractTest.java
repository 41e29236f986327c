package io.tenantry.tck.inmemory;

import io.tenantry.spi.UsageHistory;
import io.tenantry.tck.UsageHistoryContract;

/** Core's in-memory usage history, the reference the stores' histories are held to. */
class InMemoryUsageHistoryContractTest extends UsageHistoryContract {

    @Override
    protected UsageHistory emptyHistory() {
        return UsageHistory.inMemory();
    }
}
