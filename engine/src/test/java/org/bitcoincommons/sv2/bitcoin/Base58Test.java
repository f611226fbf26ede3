package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Base58Test
{
    private static final HexFormat HEX = HexFormat.of();

    /** Pairs from Bitcoin Core's src/test/data/base58_encode_decode.json. */
    private static final String[][] CORE = {
        {"", ""},
        {"61", "2g"},
        {"626262", "a3gV"},
        {"636363", "aPEr"},
        {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
        {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
        {"516b6fcd0f", "ABnLTmg"},
        {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
        {"572e4794", "3EFU7m"},
        {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
        {"10c8511e", "Rt5zm"},
        {"00000000000000000000", "1111111111"},
    };

    @Test
    void matchesBitcoinCoreVectors()
    {
        for (final String[] row : CORE)
        {
            assertEquals(row[1], Base58.encode(HEX.parseHex(row[0])), row[0]);
            assertArrayEquals(HEX.parseHex(row[0]), Base58.decode(row[1]), row[1]);
        }
    }

    @Test
    void checkEncodingMatchesSpecAuthorityKeyVector()
    {
        // SV2 spec section 4.7: base58check([0x01, 0x00] || xonly).
        final byte[] payload = HEX.parseHex("0100" + "76637000979c1c11af0c300bcd8c7fe48610fce9b9c11e3daee35ae0b08a7455");
        assertEquals("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh", Base58.encodeCheck(payload));
        assertArrayEquals(payload, Base58.decodeCheck("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh"));
    }

    @Test
    void rejectsBadInput()
    {
        final IllegalArgumentException badChar = assertThrows(IllegalArgumentException.class, () -> Base58.decode("abc0"));
        assertTrue(badChar.getMessage().contains("'0'"), badChar.getMessage());
        final IllegalArgumentException badSum = assertThrows(IllegalArgumentException.class,
            () -> Base58.decodeCheck("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXi"));
        assertTrue(badSum.getMessage().contains("checksum"), badSum.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Base58.decodeCheck("2g"));
    }
}
