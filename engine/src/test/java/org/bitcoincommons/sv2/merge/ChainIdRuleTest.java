package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each AuxPoW chain reads its chain id from a block version by its own consensus rule ({@link ChainIdRule}); they
 * differ once BIP9 bits are set. Checked on a real Syscoin block whose version carries the BIP9 top bits
 * (#91510, version 0x30000100, legacy chain id 4096, not 12288) and on the version values of the other chains.
 */
class ChainIdRuleTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static AuxBlockProof syscoin91510() throws Exception
    {
        return AuxBlockProof.fromGetBlockJson(JSON.readTree(MergeVectors.text("syscoin_91510_getblock.json")));
    }

    @Test
    void syscoinBlock91510WithBip9BitsHasChainId4096AndIsValid() throws Exception
    {
        final AuxBlockProof p = syscoin91510();   // the header fields hash to the block's "hash", checked on parsing
        final AuxPowVerdict v = AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), null, ParentPow.SHA256D);
        assertTrue(v.valid(), v.reason());
        assertEquals(4096, v.chainId(), "Syscoin reads (0x30000100 & 0x1fff0000) >> 16");
        assertEquals("0cf18712db68be85793dc06cd0a4fbc8edb166157e6847bb3c9f55d462b02837",
            HashOrder.toDisplayHex(v.auxHash()));
        assertEquals("000000000000000004bdb8e3fdf28ffc528f4e6b1871a6177579cbd4dabde955",
            HashOrder.toDisplayHex(v.parentHash()));
        assertEquals(2, v.chainIndex());
        assertEquals(4, v.merkleSize());
        assertEquals(0, v.merkleNonce());
        assertTrue(v.parentPowChecked(), "a Bitcoin parent: its hash meets the Syscoin target");

        assertTrue(AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), 4096, ParentPow.SHA256D).valid());
        // What version >> 16 would say is not Syscoin's chain id.
        assertEquals(AuxPowFailure.CHAIN_ID_MISMATCH,
            AuxPowVerifier.verifyHeader(p.header(), p.auxPow(), 12288, ParentPow.SHA256D).failure());
    }

    @Test
    void auxpowVerifyReportsSyscoinsChainId() throws Exception
    {
        final Path file = MergeVectors.toFile(dir, "syscoin_91510_getblock.json");
        final CliRunner r = CliRunner.run("auxpow", "verify", "--hex", file.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        final JsonNode json = JSON.readTree(r.out());
        assertTrue(json.get("valid").asBoolean(), r.out());
        assertEquals(4096, json.get("chain_id").asInt(), r.out());
        assertEquals("syscoin", json.get("chain_id_rule").asText(), r.out());
        assertEquals("checked", json.get("parent_pow").asText(), r.out());
    }

    @Test
    void syscoinReadsItsCurrentIdFromBits16To20AndItsLegacyIdFromBits16To28()
    {
        final ChainIdRule s = ChainIdRule.SYSCOIN;
        assertEquals(4096, s.chainId(0x30000100));          // block 91510: BIP9 0x20000000 + legacy 4096 << 16 + flag
        assertEquals(0, s.slotChainId(0x30000100));         // its slot formula takes bits 16..20: 0
        assertEquals(16, s.chainId(0x20100100));            // BIP9 + chain id 16 + flag
        assertEquals(16, s.slotChainId(0x20100100));
        assertEquals(0, s.chainId(0x30000000));             // no auxpow flag: no chain id
        assertTrue(s.parentHasOurChainId(0x20100100, 16));
        assertTrue(s.parentHasOurChainId(0x10000100, 16));  // the legacy id in a flagged parent
        assertFalse(s.parentHasOurChainId(0x30000000, 16)); // unflagged parents carry no Syscoin chain id
    }

    @Test
    void namecoinDividesDogecoinShiftsTheGenericRuleDropsTheBip9TopBits()
    {
        // Without the top bits every rule reads Namecoin's version 0x00010104 alike.
        for (final ChainIdRule r : ChainIdRule.values())
        {
            assertEquals(1, r.chainId(0x00010104), r.name());
        }
        assertEquals(98, ChainIdRule.DOGECOIN.chainId(0x00620104));
        assertEquals(98, ChainIdRule.NAMECOIN.chainId(0x00620104));
        // With the top bits set the readings part: signed division, arithmetic shift, masking.
        final int v = 0xe0620104;
        assertEquals(v / 65536, ChainIdRule.NAMECOIN.chainId(v));
        assertEquals(-8093, ChainIdRule.NAMECOIN.chainId(v));
        assertEquals(-8094, ChainIdRule.DOGECOIN.chainId(v));
        assertEquals(98, ChainIdRule.GENERIC.chainId(v));
        assertEquals(0x2014, ChainIdRule.NAMECOIN.chainId(0x20140104));
        assertEquals(20, ChainIdRule.GENERIC.chainId(0x20140104));
        // A BIP320-rolled Bitcoin parent (bits 13..28) can read as a generic chain's id, never as Namecoin's.
        assertTrue(ChainIdRule.GENERIC.parentHasOurChainId(0x20140000, 20));
        assertFalse(ChainIdRule.NAMECOIN.parentHasOurChainId(0x20010000, 1));
    }

    @Test
    void theRuleFollowsTheChainIdOrTheVersion()
    {
        assertEquals(ChainIdRule.NAMECOIN, ChainIdRule.forChainId(1));
        assertEquals(ChainIdRule.DOGECOIN, ChainIdRule.forChainId(98));
        assertEquals(ChainIdRule.SYSCOIN, ChainIdRule.forChainId(16));
        assertEquals(ChainIdRule.SYSCOIN, ChainIdRule.forChainId(4096));
        assertEquals(ChainIdRule.GENERIC, ChainIdRule.forChainId(20));
        assertEquals(ChainIdRule.SYSCOIN, ChainIdRule.forVersion(0x30000100));
        assertEquals(ChainIdRule.SYSCOIN, ChainIdRule.forVersion(0x20100100));
        assertEquals(ChainIdRule.NAMECOIN, ChainIdRule.forVersion(0x00010104));
        assertEquals(ChainIdRule.DOGECOIN, ChainIdRule.forVersion(0x00620104));
        assertEquals(ChainIdRule.GENERIC, ChainIdRule.forVersion(0x00140104));
        assertEquals(4096, AuxPowVerifier.chainIdOf(0x30000100));
        assertEquals(20, AuxPowVerifier.chainIdOf(0x00140104));
    }
}
