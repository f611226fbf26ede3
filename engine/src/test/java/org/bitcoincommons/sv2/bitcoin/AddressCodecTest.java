package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class AddressCodecTest
{
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** Test-only base58check oracle (BigInteger arithmetic, checksum = first 4 bytes of sha256d). */
    static byte[] decodeCheck(final String text)
    {
        BigInteger n = BigInteger.ZERO;
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1')
        {
            zeros++;
        }
        for (int i = 0; i < text.length(); i++)
        {
            final int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0)
            {
                throw new IllegalArgumentException("not base58");
            }
            n = n.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
        }
        byte[] body = n.toByteArray();
        if (body.length > 0 && body[0] == 0)
        {
            body = Arrays.copyOfRange(body, 1, body.length);
        }
        final byte[] all = new byte[zeros + body.length];
        System.arraycopy(body, 0, all, zeros, body.length);
        if (all.length < 4)
        {
            throw new IllegalArgumentException("too short");
        }
        final byte[] payload = Arrays.copyOf(all, all.length - 4);
        final byte[] check = Arrays.copyOf(Sha256d.hash(payload), 4);
        if (!Arrays.equals(check, Arrays.copyOfRange(all, all.length - 4, all.length)))
        {
            throw new IllegalArgumentException("bad checksum");
        }
        return payload;
    }

    @Test
    void base58AddressesFromBitcoinCoreKeyVectors()
    {
        final AddressCodec main = new AddressCodec(Network.MAINNET, AddressCodecTest::decodeCheck);
        final AddressCodec test = new AddressCodec(Network.TESTNET, AddressCodecTest::decodeCheck);
        final AddressCodec regtest = new AddressCodec(Network.REGTEST, AddressCodecTest::decodeCheck);
        assertEquals("76a91465a16059864a2fdbc7c99a4723a8395bc6f188eb88ac",
            Hex.encode(main.scriptPubKey("1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i")));
        assertEquals("a91474f209f6ea907e2ea48f74fae05782ae8a66525787",
            Hex.encode(main.scriptPubKey("3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xou")));
        assertEquals("76a91453c0307d6851aa0ce7825ba883c6bd9ad242b48688ac",
            Hex.encode(test.scriptPubKey("mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs")));
        assertEquals("a9146349a418fc4578d10a372b54b45c280cc8c4382f87",
            Hex.encode(regtest.scriptPubKey("2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br")));
        // mainnet address on testnet, bad checksum, garbage
        assertThrows(MalformedDataException.class, () -> test.scriptPubKey("1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i"));
        assertThrows(MalformedDataException.class, () -> main.scriptPubKey("1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62j"));
        assertThrows(MalformedDataException.class, () -> main.scriptPubKey("not an address"));
    }

    @Test
    void segwitAddressesGoThroughBech32()
    {
        final AddressCodec main = new AddressCodec(Network.MAINNET, AddressCodecTest::decodeCheck);
        assertEquals("0014751e76e8199196d454941c45d1b3a323f1433bd6",
            Hex.encode(main.scriptPubKey("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")));
        assertEquals("512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
            Hex.encode(main.scriptPubKey("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")));
        final AddressCodec regtest = new AddressCodec(Network.REGTEST, AddressCodecTest::decodeCheck);
        final byte[] program = Hex.decode("751e76e8199196d454941c45d1b3a323f1433bd6");
        final String bcrt = SegwitAddress.encode("bcrt", 0, program);
        assertEquals("0014751e76e8199196d454941c45d1b3a323f1433bd6", Hex.encode(regtest.scriptPubKey(bcrt)));
        assertThrows(MalformedDataException.class,
            () -> regtest.scriptPubKey("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
    }
}
