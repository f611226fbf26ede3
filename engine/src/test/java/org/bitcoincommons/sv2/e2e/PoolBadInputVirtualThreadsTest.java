package org.bitcoincommons.sv2.e2e;

/**
 * Every case of {@link PoolBadInputTest} with the other I/O model: {@code io_loops = 0}, each connection keeping a
 * virtual thread per direction after its set-up instead of moving to an event loop.
 */
class PoolBadInputVirtualThreadsTest extends PoolBadInputTest
{
    @Override
    String poolToml()
    {
        return super.poolToml() + "\nio_loops = 0";
    }
}
