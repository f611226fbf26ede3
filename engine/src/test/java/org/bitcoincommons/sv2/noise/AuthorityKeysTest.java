package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class AuthorityKeysTest
{
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void specVector()
    {
        final byte[] raw = HEX.parseHex("76637000979c1c11af0c300bcd8c7fe48610fce9b9c11e3daee35ae0b08a7455");
        assertEquals("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh", AuthorityKeys.encodePublic(raw));
        assertArrayEquals(raw, AuthorityKeys.decodePublic("9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh"));
    }

    @Test
    void sriKeyUtilsVectors()
    {
        final byte[] secret = AuthorityKeys.decodeSecret("zmBEmPhqo3A92FkiLVvyCz6htc3e53ph3ZbD4ASqGaLjwnFLi");
        assertEquals("zmBEmPhqo3A92FkiLVvyCz6htc3e53ph3ZbD4ASqGaLjwnFLi", AuthorityKeys.encodeSecret(secret));
        assertEquals("9bDuixKmZqAJnrmP746n8zU1wyAQRrus7th9dxnkPg6RzQvCnan",
            AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret)));

        final IllegalArgumentException badSum = assertThrows(IllegalArgumentException.class,
            () -> AuthorityKeys.decodePublic("9bDuixKmZqAJnrmP746n8zU1wyAQRrus7th9dxnkPg6RzQvCnam"));
        assertTrue(badSum.getMessage().contains("checksum"));
        final IllegalArgumentException badVersion = assertThrows(IllegalArgumentException.class,
            () -> AuthorityKeys.decodePublic("2myPhc5vkPzuC5FXNK5tee79WmP7uoLh55SxezoF8iqwF3E3rnPY"));
        assertTrue(badVersion.getMessage().contains("version 12"), badVersion.getMessage());
        final IllegalArgumentException badLength = assertThrows(IllegalArgumentException.class,
            () -> AuthorityKeys.decodePublic("2wmHTKZkLg2QzXyEXGMBXzKP7JXDUt8yy9SA5hoQwERc92qR6c"));
        assertTrue(badLength.getMessage().contains("34 bytes"), badLength.getMessage());
    }
}
