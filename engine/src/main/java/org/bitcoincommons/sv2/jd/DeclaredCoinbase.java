package org.bitcoincommons.sv2.jd;

import java.util.Arrays;

import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxOut;

/**
 * A coinbase as DeclareMiningJob carries it: {@code coinbase_tx_prefix ‖ extranonce ‖ coinbase_tx_suffix}, with the
 * BIP141 fields kept. The extranonce length is not sent; it is what the scriptSig length leaves after the prefix's
 * scriptSig bytes (SRI reads the length at byte 43 of a segwit prefix). Cold path.
 */
public final class DeclaredCoinbase
{
    /** Why a declared coinbase was refused: the DeclareMiningJob.Error code and a detail for error_details. */
    public static final class Refused extends Exception
    {
        private final String code;

        public Refused(final String code, final String detail)
        {
            super(detail, null, false, false);
            this.code = code;
        }

        public String code()
        {
            return code;
        }
    }

    private DeclaredCoinbase()
    {
    }

    /** The full extranonce length implied by the prefix, or a Refused with invalid-coinbase-tx(-input). */
    public static int extranonceLength(final byte[] prefix) throws Refused
    {
        if (prefix.length < 4 + 1 + 36 + 1)
        {
            throw new Refused("invalid-coinbase-tx", "coinbase_tx_prefix of " + prefix.length + " bytes is too short");
        }
        int p = 4;
        if (prefix[p] == 0 && prefix[p + 1] == 1)
        {
            p += 2;   // BIP144 marker and flag
        }
        if (prefix[p] != 1)
        {
            throw new Refused("invalid-coinbase-tx-input", "a coinbase has exactly one input, this one " +
                (prefix[p] & 0xff));
        }
        p += 1 + 36;
        if (p >= prefix.length || (prefix[p] & 0xff) >= 0xfd)
        {
            throw new Refused("invalid-coinbase-tx", "coinbase_tx_prefix ends before the scriptSig");
        }
        final int scriptLength = prefix[p] & 0xff;
        final int extranonce = scriptLength - (prefix.length - p - 1);
        if (extranonce < 0 || extranonce > 32)
        {
            throw new Refused("invalid-coinbase-tx", "scriptSig length " + scriptLength + " leaves " + extranonce +
                " extranonce bytes");
        }
        return extranonce;
    }

    /** Rebuilds and parses the coinbase with a zero extranonce of {@code extranonceLength} bytes. */
    public static Transaction parse(final byte[] prefix, final byte[] suffix, final int extranonceLength) throws Refused
    {
        final byte[] full = Arrays.copyOf(prefix, prefix.length + extranonceLength + suffix.length);
        System.arraycopy(suffix, 0, full, prefix.length + extranonceLength, suffix.length);
        final Transaction tx;
        try
        {
            tx = Transaction.parse(full);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new Refused("invalid-coinbase-tx", "the coinbase does not parse: " + ex.getMessage());
        }
        if (tx.inputs().size() != 1 || !tx.isCoinbase())
        {
            throw new Refused("invalid-coinbase-tx-input", "a coinbase has exactly one input with a null prevout");
        }
        return tx;
    }

    /** Refuses a coinbase without an output to {@code payoutScript} carrying some value. */
    public static void requirePoolPayout(final Transaction coinbase, final byte[] payoutScript) throws Refused
    {
        for (final TxOut o : coinbase.outputs())
        {
            if (Arrays.equals(o.scriptPubKey(), payoutScript) && o.valueSats() > 0)
            {
                return;
            }
        }
        throw new Refused("invalid-coinbase-tx", "no output pays the pool's payout script");
    }
}
