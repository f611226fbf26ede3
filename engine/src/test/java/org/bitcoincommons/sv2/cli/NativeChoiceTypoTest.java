package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.EcBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typo in -Dsv2.aead.impl or -Dsv2.ec.impl (both are chosen once per JVM, so this runs a child JVM) leaves the
 * engine working on the automatic choice with a warning, instead of without any cipher.
 */
class NativeChoiceTypoTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void unknownImplementationNamesFallBackToTheAutomaticChoice() throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("@" + Path.of(System.getProperty("sv2.root.dir", ".."), "etc", "jvm.flags").toAbsolutePath().normalize());
        cmd.add("-Dsv2.aead.impl=jni");
        cmd.add("-Dsv2.ec.impl=asm");
        final String lib = System.getProperty("sv2.native.lib");
        if (lib != null)
        {
            cmd.add("-Dsv2.native.lib=" + lib);
        }
        final String root = System.getProperty("sv2.root.dir");
        if (root != null)
        {
            cmd.add("-Dsv2.root.dir=" + root);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of("version", "--json"));
        final Path out = dir.resolve("out");
        final Path err = dir.resolve("err");
        final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "child JVM did not finish");
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), stderr);
        final JsonNode json = new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
        // The child chose what this JVM chose automatically (same library, same CPU).
        assertEquals(AeadImpl.selectedDescription(), json.get("aead_impl").asText(), stderr);
        assertEquals(EcBackends.selected().name(), json.get("ec_impl").asText(), stderr);
        assertTrue(stderr.contains("jni"), "the AEAD typo is named in a warning: " + stderr);
        assertTrue(stderr.contains("asm"), "the EC typo is named in a warning: " + stderr);
    }
}
