package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sv2 bench load --protocol sv1} and {@code bin/sv2 bench wire}: short runs against a child pool, checking
 * the structure of the JSON and that the numbers make sense (Stratum V1 costs more bytes per share than SV2
 * encrypted, which costs more than SV2 plain; the per-message accounting agrees with the socket's own count).
 */
class BenchSv1CommandsTest
{
    @Test
    @Timeout(90)
    void benchLoadDrivesSv1Miners() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "load", "--protocol", "sv1", "--connections", "4", "--seconds", "2",
            "--warmup", "1", "--pool-heap", "512m", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("sv1", j.get("protocol").asText());
        assertEquals(4, j.get("connections").asInt());
        assertEquals(4, j.get("connections_open_at_end").asInt());
        assertEquals(0, j.get("shares_rejected").asLong(), r.out());
        assertTrue(j.get("shares_accepted").asLong() > 0, r.out());
        assertTrue(j.get("accepted_shares_per_second").asDouble() > 0, r.out());
        // One submit line (about 110 bytes) and its result (about 40) per share.
        assertTrue(j.get("wire_bytes_per_share").asDouble() > 100 && j.get("wire_bytes_per_share").asDouble() < 250,
            r.out());
        assertTrue(j.get("pool_heap_per_connection_bytes").asLong() != 0, r.out());
        assertTrue(j.get("ack_latency_us").get("p50").asDouble() > 0, r.out());
        // the child pool's GC pauses over the measured interval, from its /api/latency
        final JsonNode gc = j.get("pool_gc_pauses");
        assertTrue(gc != null && gc.get("count").asLong() >= 0 && gc.get("total_ms").asLong() >= 0 &&
            gc.get("max_ms").asLong() <= Math.max(gc.get("total_ms").asLong(), 0) + 1 &&
            gc.get("share_of_interval").asDouble() >= 0, r.out());
    }

    @Test
    void benchLoadRejectsAnUnknownProtocol()
    {
        final CliRunner r = CliRunner.run("bench", "load", "--protocol", "sv3");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("--protocol must be sv1 or sv2"), r.err());
    }

    @Test
    @Timeout(90)
    void benchWireMeasuresEveryKindInOneRun(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("wire.json");
        final CliRunner r = CliRunner.run("bench", "wire", "--workers", "2", "--share-rate", "10", "--shares-per-job",
            "10", "--transactions", "100", "--seconds", "3", "--warmup", "1", "--pool-heap", "512m", "--out",
            file.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(j, new ObjectMapper().readTree(Files.readString(file)), "--out holds the same JSON");
        for (final String kind : new String[] {"sv1", "sv2_standard", "sv2_extended"})
        {
            final JsonNode k = j.get(kind);
            assertTrue(k.get("shares_accepted").asLong() > 0, kind + ": " + r.out());
            assertTrue(k.get("jobs").asLong() > 0, kind + " saw new jobs: " + r.out());
            final JsonNode layer = kind.equals("sv1") ? k.get("plain") : k.get("encrypted");
            final long up = layer.get("total_bytes_up").asLong();
            final long socketUp = k.get("socket_bytes_up").asLong();
            assertTrue(Math.abs(up - socketUp) <= 400 + socketUp / 50,
                kind + ": counted per message " + up + " vs on the socket " + socketUp);
        }
        final JsonNode v1 = j.get("sv1").get("plain");
        final JsonNode enc = j.get("sv2_standard").get("encrypted");
        final JsonNode plain = j.get("sv2_standard").get("plain");
        for (final String key : new String[] {"total_bytes_per_accepted_share", "share_up_bytes_per_accepted_share",
            "job_down_bytes_per_job"})
        {
            assertTrue(v1.get(key).asDouble() > enc.get(key).asDouble(), key + ": SV1 > SV2 encrypted: " + r.out());
            assertTrue(enc.get(key).asDouble() > plain.get(key).asDouble(), key + ": encrypted > plain: " + r.out());
            assertTrue(plain.get(key).asDouble() > 0, key + ": " + r.out());
        }
        // An SV1 notify carries the coinbase and the branches; an SV2 standard job only a merkle root.
        assertTrue(j.get("sv1").get("plain").get("job_down_bytes_per_job").asDouble() >
            j.get("sv2_extended").get("plain").get("job_down_bytes_per_job").asDouble(), r.out());
        final double saving = j.get("sv2_savings_vs_sv1").get("sv2_standard_encrypted")
            .get("total_bytes_per_accepted_share").asDouble();
        assertTrue(saving > 0 && saving < 1, r.out());
    }

    @Test
    void benchWireRejectsNonsense()
    {
        final CliRunner r = CliRunner.run("bench", "wire", "--workers", "0");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("--workers 1..1000"), r.err());
    }
}
