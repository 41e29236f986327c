package io.tenantry.tck.inmemory;

import io.tenantry.spi.QuotaLedger;
import io.tenantry.tck.QuotaLedgerContract;

/** Core's in-memory quota ledger, the reference the stores' ledgers are held to. */
class InMemoryQuotaLedgerContractTest extends QuotaLedgerContract {

    @Override
    protected QuotaLedger emptyLedger() {
        return QuotaLedger.inMemory();
    }
}
