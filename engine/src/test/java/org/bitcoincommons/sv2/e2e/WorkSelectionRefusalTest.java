package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises a client that asks for work selection (custom jobs, which need Job Declaration): a
 * SetupConnection.Error naming the flag, then the pool closes that connection.
 */
class WorkSelectionRefusalTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void requiresWorkSelectionGetsUnsupportedFeatureFlags() throws Exception
    {
        try (PoolHarness h = new PoolHarness(dir, 1e9, "");
             RawClient c = new RawClient(h.address()).handshake())
        {
            c.send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
                CommonProtocol.FLAG_REQUIRES_WORK_SELECTION | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING,
                "127.0.0.1", 0, "test", "", "", ""));
            final int length = c.channel.readFrame();
            assertEquals(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR,
                FrameHeaderFlyweight.msgType(c.channel.frameBuffer(), 0));
            final SetupConnectionError e = SetupConnectionError.decode(c.channel.frameBuffer(),
                FrameHeaderFlyweight.HEADER_LENGTH, length - FrameHeaderFlyweight.HEADER_LENGTH);
            assertEquals("unsupported-feature-flags", e.errorCode());
            assertEquals(CommonProtocol.FLAG_REQUIRES_WORK_SELECTION, e.flags(), "the flag it cannot support");
            assertTrue(c.closedByPool());
            assertEquals(1, h.pool.metrics().setupFailures.sum());
        }
    }
}
