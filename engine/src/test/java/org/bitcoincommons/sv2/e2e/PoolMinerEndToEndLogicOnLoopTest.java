package org.bitcoincommons.sv2.e2e;

/**
 * {@link PoolMinerEndToEndTest} with {@code wait_strategy = "loop"}: the pool logic has no thread of its own, the
 * event loop polls the share ring in every pass; shares, blocks, the close that drains the ring into the journal,
 * and its replay, all as with the logic thread.
 */
class PoolMinerEndToEndLogicOnLoopTest extends PoolMinerEndToEndTest
{
    @Override
    String poolToml()
    {
        return "wait_strategy = \"loop\"";
    }
}
