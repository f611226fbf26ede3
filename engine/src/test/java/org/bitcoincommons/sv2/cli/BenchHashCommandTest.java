package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.hash.HashKernel;
import org.junit.jupiter.api.Test;

class BenchHashCommandTest
{
    @Test
    void printsOneJsonObjectWithEveryImplementation() throws Exception
    {
        final CliRunner r = CliRunner.run("bench", "hash", "--seconds", "0.02", "--batch", "64", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(3, json.size(), r.out());
        final JsonNode impls = json.get("implementations");
        assertTrue(impls.get("java").asLong() > 0, r.out());
        assertTrue(json.get("messagedigest").asLong() > 0, r.out());
        if (HashBackends.libraryPath().isPresent())
        {
            assertTrue(impls.get("ffm").asLong() > 0, r.out());
            assertTrue(impls.get("ffm-midstate").asLong() > 0, r.out());
            assertTrue(impls.get("jna").asLong() > 0, r.out());
            for (final HashKernel k : HashBackends.availableKernels())
            {
                assertTrue(impls.get("ffm-" + k.kernelName()).asLong() > 0, r.out());
                assertTrue(impls.get("ffm-scan-" + k.kernelName()).asLong() > 0, r.out());
            }
        }
        if (HashBackends.availableKernels().contains(HashKernel.SHA_NI))
        {
            assertTrue(json.get("shani_limit").asLong() > 0, r.out());
        }
        // Progress goes to stderr, one line per measurement, each named: stdout stays one JSON object.
        final List<String> progress = r.err().lines().toList();
        final int total = impls.size() + 1 + (json.get("shani_limit").asLong() > 0 ? 1 : 0);
        assertEquals("bench hash: " + total + " measurements", progress.get(0).replaceAll(", about .*", ""), r.err());
        assertEquals(total + 1, progress.size(), r.err());
        for (int i = 1; i <= total; i++)
        {
            assertTrue(progress.get(i).matches("\\[" + i + "/" + total + "] \\S+ \\d+\\.\\d\\d M/s"), progress.get(i));
        }
        impls.fieldNames().forEachRemaining(name -> assertTrue(r.err().contains("] " + name + " "), name));
        assertTrue(progress.get(total).contains(json.get("shani_limit").asLong() > 0 ? "] shani_limit " : "] messagedigest "));
    }

    @Test
    void rejectsANonPositiveDuration()
    {
        final CliRunner r = CliRunner.run("bench", "hash", "--seconds", "0");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("--seconds"), r.err());
    }

    @Test
    void versionNamesTheHashingImplementation() throws Exception
    {
        final CliRunner r = CliRunner.run("version", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(HashBackends.selected().impl().configName(), json.get("hash_impl").asText());
        assertEquals(HashBackends.selected().kernel(), json.get("hash_kernel").asText());
        assertTrue(json.get("hash_scan_kernel").asText().length() > 0);
    }
}
