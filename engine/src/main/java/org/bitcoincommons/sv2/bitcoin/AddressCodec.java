package org.bitcoincommons.sv2.bitcoin;

import java.util.Locale;

/**
 * Turns a payout address from config into the scriptPubKey the coinbase pays:
 * P2PKH {@code 76 a9 14 <hash160> 88 ac}, P2SH {@code a9 14 <hash160> 87}, segwit {@code OP_n <program>}.
 *
 * <p>Base58check decoding lives in its own class; this codec takes it as a {@link Base58CheckDecoder} so the two
 * stay independent (pass {@code Base58::decodeCheck}).
 */
public final class AddressCodec
{
    /** Decodes a base58check string to its payload (version byte ‖ data), checksum verified and removed. */
    @FunctionalInterface
    public interface Base58CheckDecoder
    {
        byte[] decodeCheck(String text);
    }

    private static final int HASH160_LENGTH = 20;

    private final Network network;
    private final Base58CheckDecoder base58;

    public AddressCodec(final Network network, final Base58CheckDecoder base58)
    {
        this.network = network;
        this.base58 = base58;
    }

    public Network network()
    {
        return network;
    }

    /**
     * @throws MalformedDataException if the address is malformed or belongs to another network.
     */
    public byte[] scriptPubKey(final String address)
    {
        final String prefix = network.segwitHrp() + "1";
        if (address.toLowerCase(Locale.ROOT).startsWith(prefix))
        {
            return SegwitAddress.decode(network.segwitHrp(), address).scriptPubKey();
        }
        final byte[] payload;
        try
        {
            payload = base58.decodeCheck(address);
        }
        catch (final RuntimeException ex)
        {
            throw new MalformedDataException("address '" + address + "' is neither " + network.segwitHrp() +
                " segwit nor valid base58check: " + ex.getMessage());
        }
        return scriptPubKeyFromBase58Payload(payload, network);
    }

    /**
     * @param payload base58check payload: one version byte then the 20-byte hash160.
     */
    public static byte[] scriptPubKeyFromBase58Payload(final byte[] payload, final Network network)
    {
        if (payload.length != 1 + HASH160_LENGTH)
        {
            throw new MalformedDataException("base58 address payload must be 21 bytes, got " + payload.length);
        }
        final int version = payload[0] & 0xff;
        if (version == network.p2pkhVersion())
        {
            final byte[] script = new byte[25];
            script[0] = 0x76;
            script[1] = (byte)0xa9;
            script[2] = HASH160_LENGTH;
            System.arraycopy(payload, 1, script, 3, HASH160_LENGTH);
            script[23] = (byte)0x88;
            script[24] = (byte)0xac;
            return script;
        }
        if (version == network.p2shVersion())
        {
            final byte[] script = new byte[23];
            script[0] = (byte)0xa9;
            script[1] = HASH160_LENGTH;
            System.arraycopy(payload, 1, script, 2, HASH160_LENGTH);
            script[22] = (byte)0x87;
            return script;
        }
        throw new MalformedDataException(
            String.format("base58 address version 0x%02x is not P2PKH or P2SH on %s", version, network));
    }
}
