package org.bitcoincommons.sv2.template.tdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.MalformedDataException;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.SetNewPrevHash;
import org.bitcoincommons.sv2.template.Template;

/**
 * A NewTemplate from a Template Provider and, once RequestTransactionData.Success arrives, its transactions: what
 * the pool needs to turn it into a {@link Template} when a SetNewPrevHash activates it. Everything the provider sent
 * is checked against everything else before the pool sees it, so that a provider sending inconsistent data costs a
 * template, never a block:
 * <ul>
 * <li>the coinbase prefix starts with a canonical BIP34 height;</li>
 * <li>{@code coinbase_tx_outputs} is exactly {@code coinbase_tx_outputs_count} outputs;</li>
 * <li>every transaction parses, and the coinbase merkle path computed from their txids is the one sent;</li>
 * <li>the provider's witness commitment (if any) is the one its transactions and its excess data (the witness
 * reserved value) give.</li>
 * </ul>
 * The pool's coinbase carries 32 zero bytes as witness reserved value, so the template's commitment is recomputed
 * with that value; the provider's other outputs become the template's required outputs. Owned by the client's
 * reader thread.
 */
final class ReceivedTemplate
{
    private static final byte[] ZERO_RESERVED_VALUE = new byte[32];

    /** Template data that does not hold together; the template is dropped. */
    static final class InvalidTemplateException extends Exception
    {
        InvalidTemplateException(final String message)
        {
            super(message, null, false, false);
        }
    }

    private final NewTemplate message;
    private byte[] excessData;
    private List<byte[]> transactions;

    ReceivedTemplate(final NewTemplate message)
    {
        this.message = message;
    }

    long templateId()
    {
        return message.templateId();
    }

    boolean future()
    {
        return message.futureTemplate();
    }

    boolean hasTransactions()
    {
        return transactions != null;
    }

    /** RequestTransactionData.Success for this template. */
    void transactions(final byte[] excess, final List<byte[]> txs)
    {
        this.excessData = excess;
        this.transactions = txs;
    }

    /**
     * The template to mine on the previous block that {@code prevHash} announces.
     *
     * @throws InvalidTemplateException when the provider's data is inconsistent (the message says what)
     */
    Template toTemplate(final SetNewPrevHash prevHash) throws InvalidTemplateException
    {
        if (transactions == null)
        {
            throw new IllegalStateException("template " + templateId() + " has no transaction data yet");
        }
        final long height;
        try
        {
            height = Bip34Height.decode(message.coinbasePrefix());
        }
        catch (final MalformedDataException ex)
        {
            throw new InvalidTemplateException("coinbase_prefix: " + ex.getMessage());
        }
        final List<TxOut> outputs;
        try
        {
            outputs = CoinbaseOutputs.parse(message.coinbaseTxOutputs(), message.coinbaseTxOutputsCount());
        }
        catch (final MalformedDataException ex)
        {
            throw new InvalidTemplateException(ex.getMessage());
        }
        final long value = message.coinbaseTxValueRemaining();
        if (value < 0)
        {
            throw new InvalidTemplateException("coinbase_tx_value_remaining " + Long.toUnsignedString(value) +
                " exceeds any possible block reward");
        }
        final List<byte[]> txids = new ArrayList<>(transactions.size());
        final List<byte[]> wtxids = new ArrayList<>(transactions.size());
        boolean anyWitness = false;
        for (int i = 0; i < transactions.size(); i++)
        {
            final Transaction tx;
            try
            {
                tx = Transaction.parse(transactions.get(i));
            }
            catch (final MalformedDataException ex)
            {
                throw new InvalidTemplateException("transaction_list[" + i + "] does not parse: " + ex.getMessage());
            }
            if (tx.isCoinbase())
            {
                throw new InvalidTemplateException("transaction_list[" + i + "] is a coinbase");
            }
            txids.add(tx.txid());
            wtxids.add(tx.wtxid());
            anyWitness |= tx.hasWitness();
        }
        final List<byte[]> branch = Merkle.coinbaseBranch(txids);
        final List<byte[]> sent = message.merklePath();
        boolean samePath = branch.size() == sent.size();
        for (int i = 0; samePath && i < branch.size(); i++)
        {
            samePath = Arrays.equals(branch.get(i), sent.get(i));
        }
        if (!samePath)
        {
            throw new InvalidTemplateException("merkle_path does not match the " + transactions.size() +
                " transactions of RequestTransactionData.Success");
        }
        final byte[] witnessRoot = Merkle.witnessRoot(wtxids);
        byte[] providerCommitment = null;
        final List<TxOut> required = new ArrayList<>(outputs.size());
        for (final TxOut o : outputs)
        {
            final byte[] script = o.scriptPubKey();
            if (CoinbaseOutputs.isWitnessCommitment(script))
            {
                // BIP141: the last output with the commitment header counts
                if (o.valueSats() != 0)
                {
                    throw new InvalidTemplateException("the witness commitment output carries " + o.valueSats() +
                        " sat");
                }
                providerCommitment = Arrays.copyOfRange(script, 6, 38);
            }
            else
            {
                required.add(o);
            }
        }
        if (providerCommitment != null)
        {
            final byte[] reserved;
            if (excessData.length == 32)
            {
                reserved = excessData;
            }
            else if (excessData.length == 0)
            {
                reserved = ZERO_RESERVED_VALUE;
            }
            else
            {
                throw new InvalidTemplateException("excess_data of " + excessData.length +
                    " bytes is not a 32-byte witness reserved value");
            }
            if (!Arrays.equals(providerCommitment, Merkle.witnessCommitment(witnessRoot, reserved)))
            {
                throw new InvalidTemplateException("the witness commitment does not match the transactions");
            }
        }
        else if (anyWitness)
        {
            throw new InvalidTemplateException("witness transactions but no witness commitment output");
        }
        final byte[] commitment = providerCommitment == null ? null
            : Merkle.witnessCommitmentScript(Merkle.witnessCommitment(witnessRoot, ZERO_RESERVED_VALUE));
        final byte[] path = new byte[32 * sent.size()];
        for (int i = 0; i < sent.size(); i++)
        {
            System.arraycopy(sent.get(i), 0, path, 32 * i, 32);
        }
        return new Template(templateId(), (int)height, (int)message.version(), prevHash.prevHash().clone(),
            (int)prevHash.nBits(), (int)prevHash.headerTimestamp(), value, path, List.copyOf(transactions), commitment,
            required, (int)message.coinbaseTxLocktime(), (int)message.coinbaseTxInputSequence());
    }
}
