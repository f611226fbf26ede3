package org.bitcoincommons.sv2.miner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.Reconnect;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccountProtocol;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsSuccess;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountSuccess;
import org.bitcoincommons.sv2.codec.mining.CloseChannel;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.NewExtendedMiningJob;
import org.bitcoincommons.sv2.codec.mining.NewMiningJob;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.OpenMiningChannelError;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetExtranoncePrefix;
import org.bitcoincommons.sv2.codec.mining.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.mining.SetTarget;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesError;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesSuccess;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.OutboundQueue;
import org.bitcoincommons.sv2.transport.QuicByteStream;
import org.bitcoincommons.sv2.transport.QuicClient;
import org.bitcoincommons.sv2.transport.TcpStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a {@link MinerClient}: handshake, setup, channel, then the pool's messages on this (virtual)
 * thread. Hashing threads submit through {@link #submit}.
 * <p>
 * Over TCP everything travels on the one Noise-encrypted socket. Over QUIC ({@link MinerConfig#quic()}) the first
 * stream is the control stream (the Noise NX handshake with the TLS certificate's hash as prologue, which proves the
 * authority stands behind this TLS session, then SetupConnection), and the channel gets a stream of its own that
 * carries its jobs, shares and acknowledgements as plaintext frames inside TLS; a second virtual thread reads the
 * control stream for connection-wide messages (Reconnect).
 */
final class MinerSession implements Session
{
    private static final Logger LOG = LoggerFactory.getLogger(MinerSession.class);
    private static final int HEADER = FrameHeaderFlyweight.HEADER_LENGTH;

    private record JobInfo(int jobId, long minNtime, int version, boolean rolling, byte[] merkleRoot,
        byte[] coinbasePrefix, byte[] coinbaseSuffix, byte[] merklePath)
    {
    }

    private final MinerClient client;
    private final InetSocketAddress address;
    private final MinerConfig config;
    private final double hashrate;
    /** The ALPN of SV2 over QUIC (the pool's {@code PoolServer.QUIC_ALPN}). */
    static final String QUIC_ALPN = "sv2";
    /** Our QUIC idle limit; the effective one is the smaller of the pool's and ours, and keep-alive PINGs beat both. */
    static final Duration QUIC_IDLE = Duration.ofSeconds(30);

    private final Socket socket = new Socket();
    private volatile QuicClient quic;
    private volatile boolean closed;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
    private final Map<Integer, JobInfo> jobs = new HashMap<>();
    private NoiseChannel channel;
    private OutboundQueue queue;
    private volatile boolean ready;
    private int channelId = -1;
    private int groupChannelId = -1;
    private byte[] extranoncePrefix = new byte[0];
    private int extranonceSize;
    private byte[] target;
    private byte[] prevHash;
    private int nbits;
    private int prevMinNtime;
    private JobInfo active;
    private long generation;

    MinerSession(final MinerClient client, final InetSocketAddress address, final MinerConfig config, final double hashrate)
    {
        this.client = client;
        this.address = address;
        this.config = config;
        this.hashrate = hashrate;
    }

    @Override
    public boolean ready()
    {
        return ready;
    }

    int channelId()
    {
        return channelId;
    }

    @Override
    public void run() throws IOException
    {
        if (config.quic())
        {
            runQuic();
            return;
        }
        socket.connect(address, (int)config.handshakeTimeoutMs());
        final NoiseConfig nc = new NoiseConfig().handshakeTimeoutMs(config.handshakeTimeoutMs());
        if (config.authorityPublicKey() != null)
        {
            nc.authorityPublicKey(config.authorityPublicKey());
        }
        channel = NoiseChannel.connect(new TcpStream(socket), nc);
        queue = new OutboundQueue(16 * 1024, 1 << 20, channel);
        send(setupConnection());
        socket.setSoTimeout((int)config.handshakeTimeoutMs());
        final int len = channel.readFrame();
        checkSetupReply(channel.frameBuffer(), len);
        socket.setSoTimeout(0);
        if (client.accountIntervalMs() >= 0)
        {
            send(new RequestExtensions(1, new int[] {MergeMiningAccountProtocol.EXTENSION_TYPE}));
        }
        send(openChannel());
        while (true)
        {
            final int n = channel.readFrame();
            handle(channel.frameBuffer(), n);
        }
    }

    /**
     * SV2 over QUIC: the control stream (bound Noise handshake, SetupConnection), then the channel's own stream. QUIC
     * streams have no read timeout, so a watchdog closes the connection if the setup does not finish in time.
     */
    private void runQuic() throws IOException
    {
        final QuicClient q = QuicClient.connect(address, QUIC_ALPN, Duration.ofMillis(config.handshakeTimeoutMs()),
            QUIC_IDLE, null);
        quic = q;
        if (closed)
        {
            q.close();
            throw new IOException("miner stopped");
        }
        q.keepAlive(Integer.MAX_VALUE / 2);
        final CountDownLatch setUp = new CountDownLatch(1);
        final Thread watchdog = Thread.ofVirtual().name("sv2-miner-quic-setup").start(() ->
        {
            try
            {
                if (!setUp.await(config.handshakeTimeoutMs(), TimeUnit.MILLISECONDS))
                {
                    LOG.info("miner: no SetupConnection reply from {} within {} ms over QUIC", address,
                        config.handshakeTimeoutMs());
                    q.close();
                }
            }
            catch (final InterruptedException ignored)
            {
                // set up, or the session ended
            }
        });
        try
        {
            final QuicByteStream controlStream = q.openStream();
            final NoiseConfig nc = new NoiseConfig().handshakeTimeoutMs(config.handshakeTimeoutMs());
            if (config.authorityPublicKey() != null)
            {
                nc.authorityPublicKey(config.authorityPublicKey());
            }
            NoiseChannel.connect(controlStream, nc, q.serverCertificateFingerprint());
            final FrameStream control = new FrameStream(controlStream, nc.maxPayloadLength());
            final int length = setupConnection().encodeFrame(scratch, 0);
            control.write(scratch, 0, length);
            control.flush();
            checkSetupReply(control.frameBuffer(), control.readFrame());
            setUp.countDown();
            final FrameStream channelStream = new FrameStream(q.openStream(), nc.maxPayloadLength());
            queue = new OutboundQueue(16 * 1024, 1 << 20, channelStream);
            if (client.accountIntervalMs() >= 0)
            {
                final int n = new RequestExtensions(1, new int[] {MergeMiningAccountProtocol.EXTENSION_TYPE})
                    .encodeFrame(scratch, 0);
                control.write(scratch, 0, n);
                control.flush();
            }
            Thread.ofVirtual().name("sv2-miner-quic-control").start(() -> controlLoop(q, control));
            send(openChannel());
            while (true)
            {
                final int n = channelStream.readFrame();
                handle(channelStream.frameBuffer(), n);
            }
        }
        finally
        {
            watchdog.interrupt();
        }
    }

    /** Reads the QUIC control stream: Reconnect moves the miner; its end (or any fault) ends the connection. */
    private void controlLoop(final QuicClient q, final FrameStream control)
    {
        try
        {
            while (true)
            {
                final int n = control.readFrame();
                final DirectBuffer b = control.frameBuffer();
                if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) == 0
                    && FrameHeaderFlyweight.msgType(b, 0) == CommonProtocol.MESSAGE_TYPE_RECONNECT)
                {
                    final InetSocketAddress next = reconnectTarget(Reconnect.decode(b, HEADER, n - HEADER));
                    client.redirect(next);
                    LOG.info("miner: pool asked to reconnect to {}", next);
                    break;
                }
                if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK)
                    == ExtensionNegotiationProtocol.EXTENSION_TYPE && negotiated(b, n))
                {
                    // The account has a stream of its own: its first frame subscribes, then the pool pushes on it.
                    final FrameStream accountStream = new FrameStream(q.openStream(),
                        new NoiseConfig().maxPayloadLength());
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
                    final int len = subscribe().encodeFrame(frame, 0);
                    accountStream.write(frame, 0, len);
                    accountStream.flush();
                    Thread.ofVirtual().name("sv2-miner-quic-account").start(() -> accountLoop(accountStream));
                }
                // SetGroupChannel needs no action from a miner.
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closed)
            {
                LOG.debug("miner: QUIC control stream ended: {}", ex.toString());
            }
        }
        q.close();
    }

    private SubscribeMergeMiningAccount subscribe()
    {
        return new SubscribeMergeMiningAccount(1, client.accountIntervalMs());
    }

    /**
     * A RequestExtensions reply: true when the pool agreed to the merged-mining account extension; a refusal is
     * logged (the miner mines on without it).
     */
    private boolean negotiated(final DirectBuffer b, final int length)
    {
        final int type = FrameHeaderFlyweight.msgType(b, 0);
        if (type == ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS_SUCCESS)
        {
            for (final int e : RequestExtensionsSuccess.decode(b, HEADER, length - HEADER).supportedExtensions())
            {
                if (e == MergeMiningAccountProtocol.EXTENSION_TYPE)
                {
                    return true;
                }
            }
        }
        LOG.info("miner: the pool does not offer the merged-mining account extension (0x4D4D)");
        return false;
    }

    /** A message of the merged-mining account extension from the pool. */
    private void accountMessage(final DirectBuffer b, final int length)
    {
        switch (FrameHeaderFlyweight.msgType(b, 0))
        {
            case MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE_SUCCESS ->
            {
                final SubscribeMergeMiningAccountSuccess m =
                    SubscribeMergeMiningAccountSuccess.decode(b, HEADER, length - HEADER);
                LOG.info("miner: merged-mining account subscribed, {} chain(s) every {} ms", m.chainCount(),
                    m.updateIntervalMs());
            }
            case MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE_ERROR -> LOG.info(
                "miner: merged-mining account refused: {}",
                SubscribeMergeMiningAccountError.decode(b, HEADER, length - HEADER).errorCode());
            case MergeMiningAccountProtocol.MESSAGE_TYPE_ACCOUNT ->
                client.account(MergeMiningAccount.decode(b, HEADER, length - HEADER));
            default -> LOG.debug("miner: merged-mining account message 0x{} ignored",
                Integer.toHexString(FrameHeaderFlyweight.msgType(b, 0)));
        }
    }

    /** Reads the QUIC account stream until it or the connection ends. */
    private void accountLoop(final FrameStream stream)
    {
        try
        {
            while (true)
            {
                final int n = stream.readFrame();
                final DirectBuffer b = stream.frameBuffer();
                if ((FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK)
                    == MergeMiningAccountProtocol.EXTENSION_TYPE)
                {
                    accountMessage(b, n);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closed)
            {
                LOG.debug("miner: QUIC account stream ended: {}", ex.toString());
            }
        }
    }

    private SetupConnection setupConnection()
    {
        final long flags = (config.extended() ? 0 : CommonProtocol.FLAG_REQUIRES_STANDARD_JOBS) |
            CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING;
        return new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, flags, address.getHostString(),
            address.getPort(), "bitcoincommons", "cpu", "sv2-java", config.user());
    }

    private static void checkSetupReply(final DirectBuffer b, final int len) throws IOException
    {
        final int type = FrameHeaderFlyweight.msgType(b, 0);
        if (type == CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR)
        {
            final SetupConnectionError e = SetupConnectionError.decode(b, HEADER, len - HEADER);
            throw new IOException("pool refused SetupConnection: " + e.errorCode());
        }
        if (type != CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS)
        {
            throw new IOException("expected SetupConnection.Success, got message type 0x" + Integer.toHexString(type));
        }
    }

    private Message openChannel()
    {
        final byte[] maxTarget = new byte[32];
        java.util.Arrays.fill(maxTarget, (byte)0xff);
        return config.extended() ? new OpenExtendedMiningChannel(1, config.user(), (float)hashrate, maxTarget, 4)
            : new OpenStandardMiningChannel(1, config.user(), (float)hashrate, maxTarget);
    }

    private InetSocketAddress reconnectTarget(final Reconnect r)
    {
        final String host = r.newHost().isEmpty() ? address.getHostString() : r.newHost();
        final int port = r.newPort() == 0 ? address.getPort() : r.newPort();
        return new InetSocketAddress(host, port);
    }

    private void handle(final DirectBuffer b, final int length)
    {
        final int type = FrameHeaderFlyweight.msgType(b, 0);
        final int extension = FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK;
        final int payload = length - HEADER;
        if (extension == ExtensionNegotiationProtocol.EXTENSION_TYPE && client.accountIntervalMs() >= 0)
        {
            if (negotiated(b, length))
            {
                send(subscribe());
            }
            return;
        }
        if (extension == MergeMiningAccountProtocol.EXTENSION_TYPE)
        {
            accountMessage(b, length);
            return;
        }
        if (extension != 0)
        {
            return;
        }
        switch (type)
        {
            case MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL_SUCCESS ->
            {
                final OpenStandardMiningChannelSuccess m = OpenStandardMiningChannelSuccess.decode(b, HEADER, payload);
                channelId = (int)m.channelId();
                groupChannelId = (int)m.groupChannelId();
                extranoncePrefix = m.extranoncePrefix();
                target = m.target();
                ready = true;
                LOG.info("miner: standard channel {} open for {}", channelId, config.user());
            }
            case MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS ->
            {
                final OpenExtendedMiningChannelSuccess m = OpenExtendedMiningChannelSuccess.decode(b, HEADER, payload);
                channelId = (int)m.channelId();
                groupChannelId = (int)m.groupChannelId();
                extranoncePrefix = m.extranoncePrefix();
                extranonceSize = m.extranonceSize();
                target = m.target();
                ready = true;
                LOG.info("miner: extended channel {} open for {} ({} extranonce bytes)", channelId, config.user(),
                    extranonceSize);
            }
            case MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR ->
                throw new IllegalStateException("pool refused the channel: " +
                    OpenMiningChannelError.decode(b, HEADER, payload).errorCode());
            case MiningProtocol.MESSAGE_TYPE_NEW_MINING_JOB ->
            {
                final NewMiningJob m = new NewMiningJob().wrap(b, HEADER, payload);
                final byte[] root = new byte[32];
                b.getBytes(m.merkleRootOffset(), root);
                addJob(new JobInfo((int)m.jobId(), m.hasMinNtime() ? m.minNtime() : -1, (int)m.version(), true, root,
                    null, null, null));
            }
            case MiningProtocol.MESSAGE_TYPE_NEW_EXTENDED_MINING_JOB ->
            {
                final NewExtendedMiningJob m = new NewExtendedMiningJob().wrap(b, HEADER, payload);
                final byte[] path = new byte[32 * m.merklePathCount()];
                b.getBytes(m.merklePathOffset(), path);
                final byte[] prefix = new byte[m.coinbaseTxPrefixLength() + extranoncePrefix.length];
                b.getBytes(m.coinbaseTxPrefixOffset(), prefix, 0, m.coinbaseTxPrefixLength());
                System.arraycopy(extranoncePrefix, 0, prefix, m.coinbaseTxPrefixLength(), extranoncePrefix.length);
                final byte[] suffix = new byte[m.coinbaseTxSuffixLength()];
                b.getBytes(m.coinbaseTxSuffixOffset(), suffix);
                addJob(new JobInfo((int)m.jobId(), m.hasMinNtime() ? m.minNtime() : -1, (int)m.version(),
                    m.versionRollingAllowed(), null, prefix, suffix, path));
            }
            case MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH ->
            {
                final SetNewPrevHash m = new SetNewPrevHash().wrap(b, HEADER, payload);
                prevHash = new byte[32];
                b.getBytes(HEADER + 8, prevHash);
                nbits = (int)m.nbits();
                prevMinNtime = (int)m.minNtime();
                final JobInfo j = jobs.get((int)m.jobId());
                jobs.clear();
                if (j != null)
                {
                    jobs.put(j.jobId(), j);
                    active = j;
                    publish();
                }
            }
            case MiningProtocol.MESSAGE_TYPE_SET_TARGET ->
            {
                target = new byte[32];
                b.getBytes(HEADER + 4, target);
                client.stats().targets.increment();
                publish();
            }
            case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS ->
            {
                final SubmitSharesSuccess m = new SubmitSharesSuccess().wrap(b, HEADER, payload);
                client.stats().accepted(m.newSubmitsAcceptedCount());
            }
            case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR ->
            {
                final SubmitSharesError m = new SubmitSharesError().wrap(b, HEADER, payload);
                client.stats().rejected(m.errorCode(), 1);
            }
            case MiningProtocol.MESSAGE_TYPE_SET_EXTRANONCE_PREFIX ->
                extranoncePrefix = SetExtranoncePrefix.decode(b, HEADER, payload).extranoncePrefix();
            case MiningProtocol.MESSAGE_TYPE_CLOSE_CHANNEL ->
                throw new IllegalStateException("pool closed the channel: " + CloseChannel.decode(b, HEADER, payload).reasonCode());
            case CommonProtocol.MESSAGE_TYPE_RECONNECT ->
            {
                final InetSocketAddress next = reconnectTarget(Reconnect.decode(b, HEADER, payload));
                client.redirect(next);
                throw new IllegalStateException("pool asked to reconnect to " + next);
            }
            default ->
            {
                // SetGroupChannel, ChannelEndpointChanged and the rest need no action from a miner.
            }
        }
    }

    private void addJob(final JobInfo j)
    {
        jobs.put(j.jobId(), j);
        if (j.minNtime() >= 0 && prevHash != null)
        {
            active = j;
            publish();
        }
    }

    private void publish()
    {
        final JobInfo j = active;
        if (j == null || prevHash == null || target == null)
        {
            return;
        }
        final int minNtime = j.minNtime() >= 0 ? (int)Math.max(j.minNtime(), Integer.toUnsignedLong(prevMinNtime)) : prevMinNtime;
        client.publish(new Work(++generation, channelId, j.jobId(), j.version(),
            j.rolling() ? MinerClient.ROLL_MASK : 0, prevHash, nbits, minNtime,
            target, j.merkleRoot(), j.coinbasePrefix(), j.coinbaseSuffix(), j.merklePath(), extranonceSize));
    }

    /** Called by hashing threads. */
    @Override
    public void submit(final Work w, final int nonce, final int ntime, final int version, final byte[] extranonce)
    {
        final OutboundQueue q = queue;
        if (q == null)
        {
            return;
        }
        final int seq = client.nextSequence();
        // The queue has one producer at a time: hashing threads and this session take turns.
        synchronized (q)
        {
            submitLocked(q, w, seq, nonce, ntime, version, extranonce);
        }
        client.stats().sharesSubmitted.increment();
    }

    private static void submitLocked(final OutboundQueue q, final Work w, final int seq, final int nonce, final int ntime,
        final int version, final byte[] extranonce)
    {
        if (extranonce == null)
        {
            final int index = q.claim(HEADER + SubmitSharesStandard.BLOCK_LENGTH);
            if (index < 0)
            {
                return;
            }
            final MutableDirectBuffer buf = q.buffer();
            final SubmitSharesStandard m = new SubmitSharesStandard().wrapForEncode(buf, index + HEADER);
            m.channelId(w.channelId() & 0xffffffffL).sequenceNumber(seq & 0xffffffffL).jobId(w.jobId() & 0xffffffffL)
                .nonce(nonce & 0xffffffffL).ntime(ntime & 0xffffffffL).version(version & 0xffffffffL);
            m.writeHeader(buf, index);
            q.commit(index);
        }
        else
        {
            final int index = q.claim(HEADER + SubmitSharesExtended.BLOCK_LENGTH + extranonce.length);
            if (index < 0)
            {
                return;
            }
            final MutableDirectBuffer buf = q.buffer();
            final SubmitSharesExtended m = new SubmitSharesExtended().wrapForEncode(buf, index + HEADER);
            m.channelId(w.channelId() & 0xffffffffL).sequenceNumber(seq & 0xffffffffL).jobId(w.jobId() & 0xffffffffL)
                .nonce(nonce & 0xffffffffL).ntime(ntime & 0xffffffffL).version(version & 0xffffffffL)
                .extranonce(new UnsafeBuffer(extranonce), 0, extranonce.length);
            m.writeHeader(buf, index);
            q.commit(index);
        }
    }

    private void send(final Message m)
    {
        final int length = m.encodeFrame(scratch, 0);
        synchronized (queue)
        {
            final int index = queue.claim(length);
            if (index < 0)
            {
                throw new IllegalStateException("outbound queue full");
            }
            queue.buffer().putBytes(index, scratch, 0, length);
            queue.commit(index);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        ready = false;
        if (queue != null)
        {
            queue.close(100);
        }
        MinerClient.closeQuietly(socket);
        final QuicClient q = quic;
        if (q != null)
        {
            q.close();
        }
    }
}
