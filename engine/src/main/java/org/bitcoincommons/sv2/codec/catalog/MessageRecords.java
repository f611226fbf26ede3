package org.bitcoincommons.sv2.codec.catalog;

import java.util.HashMap;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.common.ChannelEndpointChanged;
import org.bitcoincommons.sv2.codec.common.Reconnect;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.RequestExtensions;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsError;
import org.bitcoincommons.sv2.codec.ext.RequestExtensionsSuccess;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountSuccess;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobError;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactions;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess;
import org.bitcoincommons.sv2.codec.jd.PushSolution;
import org.bitcoincommons.sv2.codec.mining.CloseChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.OpenMiningChannelError;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenStandardMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobError;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.SetExtranoncePrefix;
import org.bitcoincommons.sv2.codec.mining.SetGroupChannel;
import org.bitcoincommons.sv2.codec.mining.UpdateChannel;
import org.bitcoincommons.sv2.codec.mining.UpdateChannelError;
import org.bitcoincommons.sv2.codec.td.CoinbaseOutputConstraints;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.RequestTransactionData;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataError;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataSuccess;
import org.bitcoincommons.sv2.codec.td.SubmitSolution;

/**
 * The record decoder of every cold-path message, by schema. The eight hot-path messages (SubmitSharesStandard,
 * SubmitSharesExtended, SubmitShares.Success/.Error, NewMiningJob, NewExtendedMiningJob, mining SetNewPrevHash,
 * SetTarget) have flyweights in {@code codec.mining} instead and no record.
 */
public final class MessageRecords
{
    /** A record type's static {@code decode(buffer, offset, length)}. */
    @FunctionalInterface
    public interface Decoder
    {
        Message decode(DirectBuffer buffer, int offset, int length);
    }

    private static final Map<MessageSchema, Decoder> DECODERS = new HashMap<>();

    static
    {
        DECODERS.put(SetupConnection.SCHEMA, SetupConnection::decode);
        DECODERS.put(SetupConnectionSuccess.SCHEMA, SetupConnectionSuccess::decode);
        DECODERS.put(SetupConnectionError.SCHEMA, SetupConnectionError::decode);
        DECODERS.put(ChannelEndpointChanged.SCHEMA, ChannelEndpointChanged::decode);
        DECODERS.put(Reconnect.SCHEMA, Reconnect::decode);

        DECODERS.put(OpenStandardMiningChannel.SCHEMA, OpenStandardMiningChannel::decode);
        DECODERS.put(OpenStandardMiningChannelSuccess.SCHEMA, OpenStandardMiningChannelSuccess::decode);
        DECODERS.put(OpenMiningChannelError.SCHEMA, OpenMiningChannelError::decode);
        DECODERS.put(OpenExtendedMiningChannel.SCHEMA, OpenExtendedMiningChannel::decode);
        DECODERS.put(OpenExtendedMiningChannelSuccess.SCHEMA, OpenExtendedMiningChannelSuccess::decode);
        DECODERS.put(UpdateChannel.SCHEMA, UpdateChannel::decode);
        DECODERS.put(UpdateChannelError.SCHEMA, UpdateChannelError::decode);
        DECODERS.put(CloseChannel.SCHEMA, CloseChannel::decode);
        DECODERS.put(SetExtranoncePrefix.SCHEMA, SetExtranoncePrefix::decode);
        DECODERS.put(SetCustomMiningJob.SCHEMA, SetCustomMiningJob::decode);
        DECODERS.put(SetCustomMiningJobSuccess.SCHEMA, SetCustomMiningJobSuccess::decode);
        DECODERS.put(SetCustomMiningJobError.SCHEMA, SetCustomMiningJobError::decode);
        DECODERS.put(SetGroupChannel.SCHEMA, SetGroupChannel::decode);

        DECODERS.put(AllocateMiningJobToken.SCHEMA, AllocateMiningJobToken::decode);
        DECODERS.put(AllocateMiningJobTokenSuccess.SCHEMA, AllocateMiningJobTokenSuccess::decode);
        DECODERS.put(ProvideMissingTransactions.SCHEMA, ProvideMissingTransactions::decode);
        DECODERS.put(ProvideMissingTransactionsSuccess.SCHEMA, ProvideMissingTransactionsSuccess::decode);
        DECODERS.put(DeclareMiningJob.SCHEMA, DeclareMiningJob::decode);
        DECODERS.put(DeclareMiningJobSuccess.SCHEMA, DeclareMiningJobSuccess::decode);
        DECODERS.put(DeclareMiningJobError.SCHEMA, DeclareMiningJobError::decode);
        DECODERS.put(PushSolution.SCHEMA, PushSolution::decode);

        DECODERS.put(CoinbaseOutputConstraints.SCHEMA, CoinbaseOutputConstraints::decode);
        DECODERS.put(NewTemplate.SCHEMA, NewTemplate::decode);
        DECODERS.put(org.bitcoincommons.sv2.codec.td.SetNewPrevHash.SCHEMA,
            org.bitcoincommons.sv2.codec.td.SetNewPrevHash::decode);
        DECODERS.put(RequestTransactionData.SCHEMA, RequestTransactionData::decode);
        DECODERS.put(RequestTransactionDataSuccess.SCHEMA, RequestTransactionDataSuccess::decode);
        DECODERS.put(RequestTransactionDataError.SCHEMA, RequestTransactionDataError::decode);
        DECODERS.put(SubmitSolution.SCHEMA, SubmitSolution::decode);

        DECODERS.put(RequestExtensions.SCHEMA, RequestExtensions::decode);
        DECODERS.put(RequestExtensionsSuccess.SCHEMA, RequestExtensionsSuccess::decode);
        DECODERS.put(RequestExtensionsError.SCHEMA, RequestExtensionsError::decode);

        DECODERS.put(SubscribeMergeMiningAccount.SCHEMA, SubscribeMergeMiningAccount::decode);
        DECODERS.put(SubscribeMergeMiningAccountSuccess.SCHEMA, SubscribeMergeMiningAccountSuccess::decode);
        DECODERS.put(SubscribeMergeMiningAccountError.SCHEMA, SubscribeMergeMiningAccountError::decode);
        DECODERS.put(MergeMiningAccount.SCHEMA, MergeMiningAccount::decode);
    }

    private MessageRecords()
    {
    }

    /** The record decoder for {@code schema}, or null for a hot-path (flyweight) message. */
    public static Decoder decoder(final MessageSchema schema)
    {
        return DECODERS.get(schema);
    }

    /** Decodes a payload into its record; throws IllegalArgumentException for a hot-path message. */
    public static Message decode(final MessageSchema schema, final DirectBuffer buffer, final int offset, final int length)
    {
        final Decoder decoder = DECODERS.get(schema);
        if (decoder == null)
        {
            throw new IllegalArgumentException(schema.name() + " has a flyweight in codec.mining, not a record");
        }
        return decoder.decode(buffer, offset, length);
    }
}
