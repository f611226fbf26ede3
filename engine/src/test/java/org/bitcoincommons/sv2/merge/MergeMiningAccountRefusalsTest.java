package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccountProtocol;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsError;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsSuccess;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountSuccess;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.transport.TcpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension's negotiation and refusals, driven by hand over TCP: a subscription before RequestExtensions is
 * refused ("extension-not-negotiated"); RequestExtensions naming it and another extension is answered with Success
 * naming only it; a second subscription is refused ("already-subscribed"); an interval below the minimum is raised
 * to it; a pool-to-client message sent by the client closes that connection only. A pool without merged mining
 * answers RequestExtensions with Error, the extension unsupported and none required.
 */
class MergeMiningAccountRefusalsTest
{
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    @TempDir
    Path dir;

    /** A hand-driven SV2 client: Noise over TCP, SetupConnection, then frames as the test says. */
    private static final class Client implements AutoCloseable
    {
        private final Socket socket = new Socket();
        private final NoiseChannel channel;
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);

        Client(final InetSocketAddress address) throws IOException
        {
            socket.connect(address, 2000);
            socket.setSoTimeout(10_000);
            channel = NoiseChannel.connect(new TcpStream(socket), new NoiseConfig().handshakeTimeoutMs(5000));
            send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS,
                "127.0.0.1", 0, "test", "", "", ""));
            final int n = channel.readFrame();
            assertEquals(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS,
                FrameHeaderFlyweight.msgType(channel.frameBuffer(), 0), "setup, frame of " + n + " bytes");
        }

        void send(final Message m) throws IOException
        {
            final int length = m.encodeFrame(scratch, 0);
            channel.writeFrame(scratch, 0, length);
        }

        /** The next frame of extension {@code extension} and type {@code type}; others are skipped (10 s at most). */
        int next(final int extension, final int type) throws IOException
        {
            final long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline)
            {
                final int n = channel.readFrame();
                final DirectBuffer b = channel.frameBuffer();
                if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) == extension
                    && FrameHeaderFlyweight.msgType(b, 0) == type)
                {
                    return n;
                }
            }
            throw new IOException("no message 0x" + Integer.toHexString(type) + " of extension 0x"
                + Integer.toHexString(extension));
        }

        DirectBuffer frame()
        {
            return channel.frameBuffer();
        }

        boolean closedByPool()
        {
            try
            {
                while (true)
                {
                    channel.readFrame();
                }
            }
            catch (final java.net.SocketTimeoutException ex)
            {
                return false;
            }
            catch (final IOException ex)
            {
                return true;
            }
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    @Test
    @Timeout(60)
    void negotiationSubscriptionsAndBadInput() throws Exception
    {
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            deadPort = s.getLocalPort();
        }
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, Target.toCompact(Target.fromDifficulty(1e6)));
             PoolServer pool = new PoolServer(EngineConfig.parse("""
                 [stratum_v2]
                 listen_addr = "127.0.0.1:0"
                 merge_mining_enabled = true
                 secondary_chains = ["namecoin", "dogecoin"]
                 [[merge.chains]]
                 name = "namecoin"
                 kind = "auxpow"
                 chain_id = 1
                 rpc_url = "%s"
                 payout_address = "payout-namecoin"
                 [[merge.chains]]
                 name = "dogecoin"
                 kind = "auxpow"
                 chain_id = 98
                 rpc_url = "http://127.0.0.1:%d/"
                 payout_address = "payout-dogecoin"
                 [pool]
                 journal_dir = "%s"
                 [api]
                 enabled = false
                 """.formatted(nmc.url(), deadPort, dir.resolve("journal").toString().replace("\\", "/")), dir),
                 MergeMiningCoordinator.FACTORY))
        {
            pool.start();
            try (Client c = new Client(pool.sv2Address()); Client other = new Client(pool.sv2Address()))
            {
                final int ext = MergeMiningAccountProtocol.EXTENSION_TYPE;
                c.send(new SubscribeMergeMiningAccount(7, 0));
                int n = c.next(ext, MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE_ERROR);
                final SubscribeMergeMiningAccountError early = SubscribeMergeMiningAccountError.decode(c.frame(), HEADER,
                    n - HEADER);
                assertEquals(7, early.requestId());
                assertEquals("extension-not-negotiated", early.errorCode());

                c.send(new RequestExtensions(3, new int[] {ExtensionNegotiationProtocol
                    .EXTENSION_WORKER_SPECIFIC_HASHRATE_TRACKING, ext}));
                n = c.next(ExtensionNegotiationProtocol.EXTENSION_TYPE,
                    ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS_SUCCESS);
                final RequestExtensionsSuccess ok = RequestExtensionsSuccess.decode(c.frame(), HEADER, n - HEADER);
                assertEquals(3, ok.requestId());
                assertArrayEquals(new int[] {ext}, ok.supportedExtensions());

                c.send(new SubscribeMergeMiningAccount(8, 5));   // 5 ms: raised to the minimum
                n = c.next(ext, MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE_SUCCESS);
                final SubscribeMergeMiningAccountSuccess sub = SubscribeMergeMiningAccountSuccess.decode(c.frame(),
                    HEADER, n - HEADER);
                assertEquals(8, sub.requestId());
                assertEquals(MergeMiningAccountProtocol.MIN_INTERVAL_MS, sub.updateIntervalMs());
                assertEquals(2, sub.chainCount());
                // the first update: both chains, nothing credited yet (no channel, no share)
                n = c.next(ext, MergeMiningAccountProtocol.MESSAGE_TYPE_ACCOUNT);
                final MergeMiningAccount first = MergeMiningAccount.decode(c.frame(), HEADER, n - HEADER);
                assertEquals(1, first.updateSequence());
                assertEquals(0, first.sharesCredited());
                assertEquals(0, first.rewardAttributed());

                c.send(new SubscribeMergeMiningAccount(9, 0));
                n = c.next(ext, MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE_ERROR);
                assertEquals("already-subscribed",
                    SubscribeMergeMiningAccountError.decode(c.frame(), HEADER, n - HEADER).errorCode());
                assertEquals(1, pool.mergeMiningAccountSubscribers());

                // a pool-to-client message from the client is a protocol violation: that connection only is closed
                c.send(first);
                assertTrue(c.closedByPool(), "the connection that sent a pool message is closed");
                assertTrue(await(() -> pool.mergeMiningAccountSubscribers() == 0), "its subscription ended");
                other.send(new RequestExtensions(1, new int[] {ext}));
                other.next(ExtensionNegotiationProtocol.EXTENSION_TYPE,
                    ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS_SUCCESS);
            }
        }
    }

    @Test
    @Timeout(60)
    void aPoolWithoutMergedMiningDoesNotOfferIt() throws Exception
    {
        try (PoolServer pool = new PoolServer(EngineConfig.parse("""
                 [stratum_v2]
                 listen_addr = "127.0.0.1:0"
                 [pool]
                 journal_dir = "%s"
                 [api]
                 enabled = false
                 """.formatted(dir.resolve("journal").toString().replace("\\", "/")), dir),
                 MergeMiningCoordinator.FACTORY))
        {
            pool.start();
            try (Client c = new Client(pool.sv2Address()))
            {
                c.send(new RequestExtensions(4, new int[] {MergeMiningAccountProtocol.EXTENSION_TYPE}));
                final int n = c.next(ExtensionNegotiationProtocol.EXTENSION_TYPE,
                    ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS_ERROR);
                final RequestExtensionsError e = RequestExtensionsError.decode(c.frame(), HEADER, n - HEADER);
                assertEquals(4, e.requestId());
                assertArrayEquals(new int[] {MergeMiningAccountProtocol.EXTENSION_TYPE}, e.unsupportedExtensions());
                assertArrayEquals(new int[0], e.requiredExtensions());
                // unoffered, the extension's frames are ignored like any unknown extension's (spec 3.4)
                c.send(new SubscribeMergeMiningAccount(5, 0));
                assertEquals(0, pool.mergeMiningAccountSubscribers());
            }
        }
    }

    private static boolean await(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
