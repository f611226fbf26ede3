package org.bitcoincommons.sv2.e2e;

/**
 * {@link PoolMinerEndToEndTest} with {@code wait_strategy = "loop"} but no event loop ({@code io_loops = 0}): the
 * logic falls back to a thread of its own (parking), and everything works as with it.
 */
class PoolMinerEndToEndLogicOnLoopFallbackTest extends PoolMinerEndToEndTest
{
    @Override
    String poolToml()
    {
        return "io_loops = 0\nwait_strategy = \"loop\"";
    }

    @Override
    int onLoops()
    {
        return 0;
    }
}
