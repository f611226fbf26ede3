package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/sv2 jdc} and {@code bin/sv2 config check} on client configurations (the client itself: JobDeclarationClientTest). */
class JdcCommandTest
{
    @TempDir
    Path dir;

    private static Path root()
    {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("etc/jdc.example.toml")))
        {
            root = root.getParent();
        }
        return root;
    }

    @Test
    void configCheckKnowsTheJdcSection() throws Exception
    {
        final CliRunner ok = CliRunner.run("config", "check", root().resolve("etc/jdc.example.toml").toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("valid"), ok.out());

        final Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, Files.readString(root().resolve("etc/jdc.example.toml"))
            .replace("fallback = \"solo\"", "fallback = \"sometimes\""));
        final CliRunner r = CliRunner.run("config", "check", bad.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains("jdc.fallback"), r.out() + r.err());
    }

    @Test
    void aConfigurationWithoutJdcIsRefused()
    {
        final CliRunner r = CliRunner.run("jdc", "--config", root().resolve("etc/pool.example.toml").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("no [jdc] section"), r.err());
    }
}
