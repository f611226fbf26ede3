package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class HexTest
{
    @Test
    void encodesLowercaseLikeJdkHexFormat()
    {
        final byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)i;
        }
        assertEquals(HexFormat.of().formatHex(bytes), Hex.encode(bytes));
        assertArrayEquals(bytes, Hex.decode(HexFormat.of().withUpperCase().formatHex(bytes)));
    }

    @Test
    void rejectsOddLengthAndBadCharactersWithPosition()
    {
        final IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc"));
        assertTrue(odd.getMessage().contains("odd"));
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Hex.decode("00zz"));
        assertTrue(bad.getMessage().contains("position 2"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0x00"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode(" 0"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("00", 2));
    }

    @Test
    void displayOrderReversesBytes()
    {
        // block 1 hash as bitcoind prints it, and its bytes as they sit in block 2's prev_hash field
        final String display = "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048";
        final byte[] internal = HashOrder.fromDisplayHex(display);
        assertEquals("4860eb18bf1b1620e37e9490fc8a427514416fd75159ab86688e9a8300000000", Hex.encode(internal));
        assertEquals(display, HashOrder.toDisplayHex(internal));
    }
}
