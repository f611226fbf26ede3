package org.bitcoincommons.sv2.pool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.ext.ExtensionNegotiationProtocol;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccountProtocol;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsError;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsSuccess;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.mining.CloseChannel;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesStandard;
import org.bitcoincommons.sv2.codec.mining.UpdateChannel;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.work.Job;

/**
 * Stages 2 to 4 of a share's path on one TCP connection, on its reader thread: the Noise channel decrypts a frame
 * (noise), its header and message are decoded in place (codec: shares through reusable flyweights, nothing allocated),
 * and the message is published to the share ring ({@link RingTranslators}). The rare replies the reader owes (to
 * extension negotiation, to SetCustomMiningJob) go through the ring as tasks, since the logic thread is the outbound
 * queue's only producer once the connection is open.
 */
final class InboundDispatch
{
    private final PoolConnection connection;
    private final NoiseChannel channel;
    private final SharePipeline<MiningDownstream, Job> pipeline;
    /** Checks this client's SetCustomMiningJob (it negotiated work selection and the pool runs a JDS); else null. */
    private final PoolLogic customJobs;
    private final SubmitSharesStandard standard = new SubmitSharesStandard();
    private final SubmitSharesExtended extended = new SubmitSharesExtended();
    /** Frames read (written by this reader only, read by metrics). */
    private long framesIn;
    /** RequestExtensions asked for the merged-mining account extension and the pool offered it (reader only). */
    private boolean accountNegotiated;
    private static final VarHandle FRAMES_IN;

    static
    {
        try
        {
            FRAMES_IN = MethodHandles.lookup().findVarHandle(InboundDispatch.class, "framesIn", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    InboundDispatch(final PoolConnection connection, final NoiseChannel channel,
        final SharePipeline<MiningDownstream, Job> pipeline, final PoolLogic customJobs)
    {
        this.customJobs = customJobs;
        this.connection = connection;
        this.channel = channel;
        this.pipeline = pipeline;
    }

    /** Frames read so far. */
    long framesIn()
    {
        return (long)FRAMES_IN.getOpaque(this);
    }

    /** Reads frames until the connection ends (an exception says how). */
    void run() throws IOException
    {
        while (true)
        {
            dispatch(channel.readFrame());
        }
    }

    /**
     * Stages 3 and 4 for the frame just decrypted into the channel's {@link NoiseChannel#frameBuffer() frame buffer}
     * (by a blocking read, or by an event loop's non-blocking receive).
     */
    void dispatch(final int length)
    {
        final int payload = FrameHeaderFlyweight.HEADER_LENGTH;
        FRAMES_IN.setOpaque(this, framesIn + 1);   // written by this reader only; read by metrics
        final DirectBuffer b = channel.frameBuffer();
        final int extension = FrameHeaderFlyweight.extensionType(b, 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK;
        final int type = FrameHeaderFlyweight.msgType(b, 0);
        final int msgLength = length - payload;
        if (extension == ExtensionNegotiationProtocol.EXTENSION_TYPE)
        {
            negotiate(type, b, msgLength);
            return;
        }
        if (extension == MergeMiningAccountProtocol.EXTENSION_TYPE && connection.accounts() != null)
        {
            account(type, b, msgLength);
            return;
        }
        if (extension != 0)
        {
            return;   // unknown extensions are ignored (spec 3.4): we are not a proxy
        }
        switch (type)
        {
            case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_STANDARD -> submitStandard(b, msgLength);
            case MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED -> submitExtended(b, msgLength);
            case MiningProtocol.MESSAGE_TYPE_OPEN_STANDARD_MINING_CHANNEL ->
                openStandard(OpenStandardMiningChannel.decode(b, payload, msgLength));
            case MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL ->
                openExtended(OpenExtendedMiningChannel.decode(b, payload, msgLength));
            case MiningProtocol.MESSAGE_TYPE_UPDATE_CHANNEL -> update(UpdateChannel.decode(b, payload, msgLength));
            case MiningProtocol.MESSAGE_TYPE_CLOSE_CHANNEL -> close(CloseChannel.decode(b, payload, msgLength));
            case MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB ->
            {
                final SetCustomMiningJob m = SetCustomMiningJob.decode(b, payload, msgLength);
                final PoolLogic logic = customJobs;
                if (logic != null)
                {
                    // rare (once per declared job), so a task of its own on the ring: typed, in ring order
                    pipeline.execute(connection, () -> logic.setCustomMiningJob(connection, m));
                }
                else
                {
                    connection.sendFromReader(new SetCustomMiningJobError(m.channelId(), m.requestId(),
                        "jd-not-supported"));
                }
            }
            case CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION ->
                throw new PoolConnection.ProtocolViolation("SetupConnection sent twice");
            default -> throw new PoolConnection.ProtocolViolation("message type 0x" + Integer.toHexString(type) +
                " is not one a mining client may send");
        }
    }

    private void negotiate(final int type, final DirectBuffer b, final int msgLength)
    {
        if (type != ExtensionNegotiationProtocol.MESSAGE_TYPE_REQUEST_EXTENSIONS)
        {
            throw new PoolConnection.ProtocolViolation("extension negotiation message 0x" + Integer.toHexString(type) + " from a client");
        }
        final RequestExtensions r = RequestExtensions.decode(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength);
        connection.sendFromReader(answer(r, connection.accounts() != null));
        if (connection.accounts() != null && offers(r))
        {
            accountNegotiated = true;
        }
    }

    /** True when {@code r} asks for the merged-mining account extension. */
    static boolean offers(final RequestExtensions r)
    {
        for (final int e : r.requestedExtensions())
        {
            if (e == MergeMiningAccountProtocol.EXTENSION_TYPE)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer to RequestExtensions: Success naming the merged-mining account extension when it was asked for and is
     * offered; otherwise Error with every requested extension unsupported and none required.
     */
    static org.bitcoincommons.sv2.codec.Message answer(final RequestExtensions r, final boolean accountsOffered)
    {
        if (accountsOffered && offers(r))
        {
            return new RequestExtensionsSuccess(r.requestId(), new int[] {MergeMiningAccountProtocol.EXTENSION_TYPE});
        }
        return new RequestExtensionsError(r.requestId(), r.requestedExtensions(), new int[0]);
    }

    /** A message of the merged-mining account extension; a client may send only the subscription. */
    private void account(final int type, final DirectBuffer b, final int msgLength)
    {
        if (type != MergeMiningAccountProtocol.MESSAGE_TYPE_SUBSCRIBE)
        {
            throw new PoolConnection.ProtocolViolation("merged-mining account message 0x" + Integer.toHexString(type)
                + " from a client");
        }
        final SubscribeMergeMiningAccount m =
            SubscribeMergeMiningAccount.decode(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength);
        if (!accountNegotiated)
        {
            connection.sendFromReader(new SubscribeMergeMiningAccountError(m.requestId(), "extension-not-negotiated"));
            return;
        }
        final PoolLogic logic = connection.accounts();
        pipeline.execute(connection, () -> logic.subscribeAccount(connection, connection::sendOnLogic, m));
    }

    private void submitStandard(final DirectBuffer b, final int msgLength)
    {
        pipeline.publish(RingTranslators.SUBMIT_STANDARD, connection, standard.wrap(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength));
    }

    private void submitExtended(final DirectBuffer b, final int msgLength)
    {
        pipeline.publish(RingTranslators.SUBMIT_EXTENDED, connection, extended.wrap(b, FrameHeaderFlyweight.HEADER_LENGTH, msgLength));
    }

    private void openStandard(final OpenStandardMiningChannel m)
    {
        pipeline.publish(RingTranslators.OPEN_STANDARD, connection, m);
    }

    private void openExtended(final OpenExtendedMiningChannel m)
    {
        pipeline.publish(RingTranslators.OPEN_EXTENDED, connection, m);
    }

    private void update(final UpdateChannel m)
    {
        pipeline.publish(RingTranslators.UPDATE, connection, m);
    }

    private void close(final CloseChannel m)
    {
        pipeline.publish(RingTranslators.CLOSE, connection, m);
    }
}
