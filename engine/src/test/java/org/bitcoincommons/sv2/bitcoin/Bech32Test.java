package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * Test vectors from BIP173 and BIP350 (bitcoin/bips bip-0173.mediawiki, bip-0350.mediawiki).
 */
class Bech32Test
{
    static final String[] VALID_BECH32 = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    };

    static final String[] VALID_BECH32M = {
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    };

    static final String[] INVALID_BECH32 = {
        (char)0x20 + "1nwldj5",
        (char)0x7f + "1axkwrx",
        (char)0x80 + "1eym55h",
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
        "pzry9x0s0muk",
        "1pzry9x0s0muk",
        "x1b4n0q5v",
        "li1dgmt3",
        "de1lg7wt" + (char)0xff,
        "A1G7SGD8",
        "10a06t8",
        "1qzzfhee",
    };

    static final String[] INVALID_BECH32M = {
        (char)0x20 + "1xj0phk",
        (char)0x7f + "1g6xzxy",
        (char)0x80 + "1vctc34",
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
        "qyrz8wqd2c9m",
        "1qyrz8wqd2c9m",
        "y1b0jsk6g",
        "lt1igcx5c0",
        "in1muywd",
        "mm1crxm3i",
        "au1s5cgom",
        "M1VUXWEZ",
        "16plkw9",
        "1p2gdwpf",
    };

    @Test
    void validStringsDecodeWithTheirEncodingAndReEncode()
    {
        for (final String s : VALID_BECH32)
        {
            final Bech32.Decoded d = Bech32.decode(s);
            assertEquals(Bech32.Encoding.BECH32, d.encoding(), s);
            assertEquals(s.toLowerCase(Locale.ROOT), Bech32.encode(d.hrp(), d.data(), d.encoding()));
        }
        for (final String s : VALID_BECH32M)
        {
            final Bech32.Decoded d = Bech32.decode(s);
            assertEquals(Bech32.Encoding.BECH32M, d.encoding(), s);
            assertEquals(s.toLowerCase(Locale.ROOT), Bech32.encode(d.hrp(), d.data(), d.encoding()));
        }
    }

    @Test
    void invalidStringsAreRejected()
    {
        for (final String s : INVALID_BECH32)
        {
            assertThrows(MalformedDataException.class, () -> Bech32.decode(s), s);
        }
        for (final String s : INVALID_BECH32M)
        {
            assertThrows(MalformedDataException.class, () -> Bech32.decode(s), s);
        }
    }
}
