package org.bitcoincommons.sv2.e2e;

/** {@link PoolMinerEndToEndTest} with {@code io_loops = 0}: connections keep their virtual threads once set up. */
class PoolMinerEndToEndVirtualThreadsTest extends PoolMinerEndToEndTest
{
    @Override
    String poolToml()
    {
        return "io_loops = 0";
    }

    @Override
    int onLoops()
    {
        return 0;
    }
}
