package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link Sha256#hmac}, written on the digest, against RFC 4231's HMAC-SHA-256 test cases 1, 2 and 6 (a key longer
 * than the block), and against the JDK's own HmacSHA256 for random keys and messages around the block length.
 */
class Sha256HmacTest
{
    private static final HexFormat HEX = HexFormat.of();

    private static String hmac(final byte[] key, final byte[] data)
    {
        final byte[] out = new byte[32];
        new Sha256().hmac(key, data, 0, data.length, out, 0);
        return HEX.formatHex(out);
    }

    @Test
    void rfc4231TestCases()
    {
        final byte[] key1 = new byte[20];
        Arrays.fill(key1, (byte)0x0b);
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            hmac(key1, "Hi There".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            hmac("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
        final byte[] key6 = new byte[131];
        Arrays.fill(key6, (byte)0xaa);
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            hmac(key6, "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void agreesWithTheJdkMacAndReusesItsStateCleanly() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(4231);
        final Sha256 sha = new Sha256();   // one instance for every case: no state may leak from one call to the next
        final Mac mac = Mac.getInstance("HmacSHA256");
        for (final int keyLength : new int[] {1, 32, 63, 64, 65, 200})
        {
            for (final int dataLength : new int[] {0, 1, 33, 64, 65, 1000})
            {
                final byte[] key = new byte[keyLength];
                final byte[] data = new byte[dataLength + 7];
                random.nextBytes(key);
                random.nextBytes(data);
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update(data, 3, dataLength);
                final byte[] expected = mac.doFinal();
                final byte[] out = new byte[40];
                sha.hmac(key, data, 3, dataLength, out, 5);
                assertArrayEquals(expected, Arrays.copyOfRange(out, 5, 37), keyLength + "/" + dataLength);
            }
        }
    }
}
