package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import java.net.Socket;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Wire;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.transport.ByteStream;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.QuicTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second, independent QUIC stack against the pool's Kwik listener: netty-codec-native-quic 4.2.18 (Cloudflare's
 * quiche and BoringSSL, through JNI) with ALPN "sv2" authenticates the pool exactly as our miner does (the Noise NX
 * handshake on the control stream with SHA-256 of the certificate this TLS session presented as prologue, the
 * authority key checked), then opens two channels on two streams and gets a job and share acknowledgements on each.
 * Skipped, saying why, where the native library cannot load (it ships for linux-x86_64 here).
 */
@Timeout(60)
class NettyQuicInteropTest
{
    @TempDir
    Path dir;

    /** A {@link ByteStream} over one Netty QUIC stream: reads come from the stream's event loop through a queue. */
    static final class NettyStream implements ByteStream
    {
        private static final byte[] EOF = new byte[0];
        final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        QuicStreamChannel channel;

        static NettyStream open(final QuicChannel quic) throws Exception
        {
            final NettyStream s = new NettyStream();
            s.channel = quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    final ByteBuf b = (ByteBuf)msg;
                    final byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    b.release();
                    s.received.add(bytes);
                }

                @Override
                public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
                {
                    if (evt == ChannelInputShutdownReadComplete.INSTANCE)
                    {
                        s.received.add(EOF);
                    }
                }

                @Override
                public void channelInactive(final ChannelHandlerContext ctx)
                {
                    s.received.add(EOF);
                }
            }).get(10, TimeUnit.SECONDS);
            return s;
        }

        private final InputStream in = new InputStream()
        {
            private byte[] chunk = new byte[0];
            private int at;

            @Override
            public int read() throws IOException
            {
                final byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException
            {
                while (chunk != EOF && at == chunk.length)
                {
                    try
                    {
                        final byte[] next = received.poll(15, TimeUnit.SECONDS);
                        if (next == null)
                        {
                            throw new IOException("nothing on the stream for 15 s");
                        }
                        chunk = next;
                        at = 0;
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IOException(ex);
                    }
                }
                if (chunk == EOF)
                {
                    return -1;
                }
                final int n = Math.min(len, chunk.length - at);
                System.arraycopy(chunk, at, b, off, n);
                at += n;
                return n;
            }
        };

        private final OutputStream out = new OutputStream()
        {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public void write(final int b)
            {
                pending.write(b);
            }

            @Override
            public void write(final byte[] b, final int off, final int len)
            {
                pending.write(b, off, len);
            }

            @Override
            public void flush() throws IOException
            {
                if (pending.size() > 0)
                {
                    final byte[] bytes = pending.toByteArray();
                    pending.reset();
                    try
                    {
                        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).get(10, TimeUnit.SECONDS);
                    }
                    catch (final Exception ex)
                    {
                        throw new IOException("netty stream write: " + ex, ex);
                    }
                }
            }
        };

        @Override
        public InputStream input()
        {
            return in;
        }

        @Override
        public OutputStream output()
        {
            return out;
        }

        @Override
        public SocketAddress remoteAddress()
        {
            return null;
        }

        @Override
        public String transportName()
        {
            return "quic";
        }

        @Override
        public void closeOutput() throws IOException
        {
            out.flush();
            channel.shutdownOutput();
        }

        @Override
        public void reset(final long errorCode)
        {
            channel.close();
        }

        @Override
        public void close()
        {
            channel.close();
        }
    }

    @Test
    void nettyQuicOpensTwoChannelsOnTwoStreamsWithJobsAndAcksOnEach() throws Exception
    {
        assumeTrue(Quic.isAvailable(), () -> "netty-codec-native-quic's native library cannot load on this machine ("
            + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + Quic.unavailabilityCause());
        final byte[] secret = new byte[32];
        secret[31] = 21;
        final AtomicReference<X509Certificate> presented = new AtomicReference<>();
        // No WebPKI: the certificate is only remembered, and the Noise handshake below decides whether to trust it.
        final X509ExtendedTrustManager remember = new X509ExtendedTrustManager()
        {
            @Override
            public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            {
                presented.set(chain[0]);
            }

            @Override
            public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            {
                presented.set(chain[0]);
            }

            @Override
            public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            {
                presented.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers()
            {
                return new X509Certificate[0];
            }
        };
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (PoolHarness h = new PoolHarness(dir, 1.0e12, QuicMinerEndToEndTest.quicToml(dir, 0), "", secret))
        {
            final QuicSslContext tls = QuicSslContextBuilder.forClient().trustManager(remember)
                .applicationProtocols(PoolServer.QUIC_ALPN).build();
            final Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new QuicClientCodecBuilder().sslContext(tls).maxIdleTimeout(20, TimeUnit.SECONDS)
                    .initialMaxData(4 << 20).initialMaxStreamDataBidirectionalLocal(1 << 20)
                    .initialMaxStreamDataBidirectionalRemote(1 << 20).build())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            final QuicChannel quic = QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter())
                .remoteAddress(h.pool.quicAddress()).connect().get(10, TimeUnit.SECONDS);
            try
            {
                assertNotNull(presented.get(), "the pool presented a certificate");
                final NettyStream control = NettyStream.open(quic);
                NoiseChannel.connect(control, new NoiseConfig().handshakeTimeoutMs(10_000)
                    .authorityPublicKey(AuthorityKeys.publicOf(secret)), QuicTls.fingerprint(presented.get()));
                final FrameStream cf = new FrameStream(control, 1 << 20);
                QuicTransportTest.send(cf, new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, 0, "127.0.0.1", 0,
                    "netty-quic", "", "", ""));
                QuicTransportTest.readUntil(cf, CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS);
                final QuicTransportTest.Chan a = open(quic, 1);
                final QuicTransportTest.Chan b = open(quic, 2);
                assertNotEquals(a.channelId(), b.channelId());
                for (int round = 1; round <= 3; round++)
                {
                    assertEquals(a.channelId(), a.submitAndAck(round, a.channelId()), "ack on a's stream");
                    assertEquals(b.channelId(), b.submitAndAck(round, b.channelId()), "ack on b's stream");
                }
                assertEquals(1, h.pool.quicStats().openConnections());
                assertTrue(h.pool.quicStats().streamsOpened.sum() >= 3, "control + two channel streams");
                assertTrue(PoolHarness.await(10_000, () -> h.pool.status().channels() == 2),
                    () -> "two channels in the pool's status, got " + h.pool.status().channels());
            }
            finally
            {
                quic.close().await(5, TimeUnit.SECONDS);
                udp.close().await(5, TimeUnit.SECONDS);
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static QuicTransportTest.Chan open(final QuicChannel quic, final int requestId) throws Exception
    {
        final FrameStream s = new FrameStream(NettyStream.open(quic), 1 << 20);
        final byte[] max = new byte[32];
        java.util.Arrays.fill(max, (byte)0xff);
        QuicTransportTest.send(s, new OpenStandardMiningChannel(requestId, "netty-" + requestId, 1.0e9f, max));
        QuicTransportTest.readUntil(s, MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS);
        final int channelId = (int)Wire.u32(s.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH + 4);
        QuicTransportTest.readUntil(s, MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB);
        final int jobId = (int)Wire.u32(s.frameBuffer(), FrameHeaderFlyweight.HEADER_LENGTH + 4);
        return new QuicTransportTest.Chan(s, channelId, jobId);
    }
}
