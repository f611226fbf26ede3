package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ESP-Miner's (Bitaxe) session replayed byte for byte on a raw socket: its request formats ({@code {"id": N,
 * "method": ..., "params": [...]}} with a space after each colon and comma, one request a line), mining.configure
 * with version-rolling mask ffffffff (id 1), mining.subscribe (id 2) and mining.authorize (id 3) written in one write
 * before anything is read; after the authorize result mining.suggest_difficulty with an integer (id 4) and
 * mining.extranonce.subscribe (id 5); then submits with the sixth param, the version bits (ROLES.md A.3). The shares
 * are ground here from the notify fields with rolled version bits, so an acceptance proves the pool applies the bits
 * as BIP310 says: {@code (job version & ~mask) | (bits & mask)}.
 */
@Timeout(30)
class EspMinerReplayTest
{
    private static final String WORKER = "bc1qbitaxe.esp";

    @TempDir
    Path dir;

    @Test
    void bitaxeSessionMinesWithRolledVersionBits() throws Exception
    {
        try (Sv1TestPool h = new Sv1TestPool(dir, "", "");
             Sv1Client c = new Sv1Client(h.sv1()))
        {
            c.send("{\"id\": 1, \"method\": \"mining.configure\", \"params\": [[\"version-rolling\"], " +
                "{\"version-rolling.mask\": \"ffffffff\"}]}\n" +
                "{\"id\": 2, \"method\": \"mining.subscribe\", \"params\": [\"bitaxe/BM1370/v2.9.0\"]}\n" +
                "{\"id\": 3, \"method\": \"mining.authorize\", \"params\": [\"" + WORKER + "\", \"x\"]}\n");
            final JsonNode configure = c.reply(1);
            assertTrue(configure.path("error").isNull(), configure.toString());
            assertTrue(configure.get("result").get("version-rolling").asBoolean(), configure.toString());
            // requested ffffffff & the pool's BIP323 mask 1fffffe0
            assertEquals("1fffffe0", configure.get("result").get("version-rolling.mask").asText(), configure.toString());

            final JsonNode subscribe = c.reply(2);
            assertTrue(subscribe.path("error").isNull(), subscribe.toString());
            final JsonNode sub = subscribe.get("result");
            assertTrue(sub.get(0).isArray() && sub.get(0).size() >= 1, "subscription tuples: " + sub);
            c.extranonce1 = Sv1Work.HEX.parseHex(sub.get(1).asText());
            c.extranonce2Size = sub.get(2).asInt();
            assertEquals(4, c.extranonce2Size, "the default extranonce2_size");
            assertTrue(c.extranonce1.length >= 4, "extranonce1 holds the channel's 4-byte prefix: " + sub);

            final JsonNode authorize = c.reply(3);
            assertEquals(Boolean.TRUE, authorize.get("result").asBoolean(), authorize.toString());
            assertTrue(authorize.path("error").isNull(), authorize.toString());

            // after the authorize result (ESP-Miner's order): its suggested difficulty, an integer, and the
            // extranonce subscription, each a write of its own
            c.send("{\"id\": 4, \"method\": \"mining.suggest_difficulty\", \"params\": [1000]}\n");
            c.send("{\"id\": 5, \"method\": \"mining.extranonce.subscribe\", \"params\": []}\n");
            assertTrue(c.reply(4).get("result").asBoolean(), "suggest_difficulty: " + c.transcript);
            assertTrue(c.reply(5).get("result").asBoolean(), "extranonce.subscribe: " + c.transcript);

            // the first job at the start difficulty, then the suggestion (capped by max_difficulty) with a fresh job
            final Sv1Work first = c.nextWork();
            assertEquals(Sv1TestPool.START, first.difficulty, 0.0, "set_difficulty before the first notify");
            assertTrue(first.clean, "the first job cleans");
            Sv1Work work = first;
            for (int i = 0; i < 8 && work.difficulty != Sv1TestPool.MAX; i++)
            {
                work = c.nextWork();
            }
            assertEquals(Sv1TestPool.MAX, work.difficulty, 0.0,
                "suggest_difficulty 1000 is capped at max_difficulty and comes with a job: " + c.transcript);
            assertNotEquals(first.jobId, work.jobId, "the new difficulty comes with a fresh job id");

            // three shares, each with other version bits inside the granted mask
            final int mask = 0x1fffffe0;
            final int[] bits = {0x00002000, 0x1fffe000, 0x0abcd0e0};
            final String[][] shares = new String[bits.length][];
            for (int i = 0; i < bits.length; i++)
            {
                shares[i] = c.share(work, WORKER, i + 1, bits[i], mask);
                c.send(espSubmit(6 + i, shares[i]));
                final JsonNode r = c.reply(6 + i);
                assertTrue(r.path("result").asBoolean(false) && r.path("error").isNull(),
                    "share with version bits " + shares[i][5] + ": " + r);
            }

            // the first share again: ckpool's string, public-pool's code
            c.send(espSubmit(20, shares[0]));
            final JsonNode duplicate = c.reply(20);
            assertEquals("[22,\"Duplicate\",null]", duplicate.get("error").toString(), duplicate.toString());
            assertTrue(duplicate.get("result").isNull() || !duplicate.get("result").asBoolean(), duplicate.toString());

            // version bits outside the granted mask: bit 31 (outside what was asked for, too), and bit 4 (asked for
            // with ffffffff, but not granted)
            for (final int outside : new int[] {0x80000000, 0x00000010})
            {
                final String[] s = shares[1].clone();
                s[5] = Sv1Work.hex32(outside);
                c.send(espSubmit(21, s));
                final JsonNode r = c.reply(21);
                assertEquals("[20,\"Invalid version mask\",null]", r.get("error").toString(), "bits " + s[5] + ": " + r);
            }

            // never a job id reused with other content (ESP-Miner drops a notify whose id it has seen)
            final Map<String, String> seen = new HashMap<>();
            for (final String line : c.transcript)
            {
                final JsonNode n = Sv1Client.JSON.readTree(line);
                if ("mining.notify".equals(n.path("method").asText()))
                {
                    final String id = n.get("params").get(0).asText();
                    final String body = n.get("params").toString();
                    final String before = seen.putIfAbsent(id, body);
                    assertTrue(before == null || before.equals(body), "job id " + id + " reused: " + before + " / " + body);
                }
            }

            final Map<String, Object> row = h.worker(WORKER);
            assertEquals("sv1", row.get("transport"), row.toString());
            assertEquals(3L, ((Number)row.get("shares_accepted")).longValue(), row.toString());
            assertEquals(3L, ((Number)row.get("shares_rejected")).longValue(), row.toString());
            c.close();
            h.close();
            assertEquals(3, h.journaledShares(WORKER), "the accepted shares are in the journal");
        }
    }

    @Test
    void grantedMaskIsTheIntersectionWithTheConfiguredOne() throws Exception
    {
        try (Sv1TestPool h = new Sv1TestPool(dir, "version_rolling_mask = \"1fffe000\"", "");
             Sv1Client c = new Sv1Client(h.sv1()))
        {
            c.send("{\"id\": 1, \"method\": \"mining.configure\", \"params\": [[\"version-rolling\"], " +
                "{\"version-rolling.mask\": \"ffffffff\"}]}\n");
            assertEquals("1fffe000", c.reply(1).get("result").get("version-rolling.mask").asText(), c.transcript.toString());
            // a miner asking for less gets less: the intersection (BIP310)
            c.send("{\"id\": 2, \"method\": \"mining.configure\", \"params\": [[\"version-rolling\"], " +
                "{\"version-rolling.mask\": \"00ffff00\"}]}\n");
            assertEquals("00ffe000", c.reply(2).get("result").get("version-rolling.mask").asText(), c.transcript.toString());
        }
    }

    @Test
    void versionBitsWithoutConfigureAreAppliedInsideTheDefaultMask() throws Exception
    {
        // an Antminer behind a rental service never sends mining.configure but sends a sixth param (ROLES.md A.2):
        // bits inside the default mask are applied, never silently mis-hashed; bits outside it are refused
        try (Sv1TestPool h = new Sv1TestPool(dir, "", "");
             Sv1Client c = new Sv1Client(h.sv1()))
        {
            final Sv1Work work = c.session("s21.rental");
            final String[] s = c.share(work, "s21.rental", 1, 0x00ff0000, 0x1fffffe0);
            c.send(espSubmit(10, s));
            final JsonNode ok = c.reply(10);
            assertTrue(ok.path("result").asBoolean(false), ok.toString());
            final String[] outside = c.share(work, "s21.rental", 2, 0, 0x1fffffe0);
            outside[5] = "e0000000";
            c.send(espSubmit(11, outside));
            assertEquals("[20,\"Invalid version mask\",null]", c.reply(11).get("error").toString(), c.transcript.toString());
            assertNull(c.kept.stream().filter(n -> n.path("method").asText().equals("client.reconnect")).findAny()
                .orElse(null), "no reconnect asked");
        }
    }

    /** ESP-Miner's submit: six string params, the last three as %08lx. */
    private static String espSubmit(final int id, final String[] p)
    {
        return "{\"id\": " + id + ", \"method\": \"mining.submit\", \"params\": [\"" + p[0] + "\", \"" + p[1] + "\", \"" +
            p[2] + "\", \"" + p[3] + "\", \"" + p[4] + "\", \"" + p[5] + "\"]}\n";
    }
}
