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

    /** The example's commented [sv1] lines, uncommented: the farm's SV1 endpoint is a valid part of a client. */
    @Test
    void configCheckAcceptsTheExamplesSv1SectionAndNamesItsErrors() throws Exception
    {
        final String example = Files.readString(root().resolve("etc/jdc.example.toml"));
        assertTrue(example.contains("#[sv1]\n#enabled = true\n"), "the example carries the [sv1] lines, commented");
        final String withSv1 = example.replace("#[sv1]\n", "[sv1]\n").replace("#enabled = true", "enabled = true")
            .replace("#listen_addr", "listen_addr").replace("#extranonce2_size", "extranonce2_size")
            .replace("#start_difficulty", "start_difficulty");
        final Path good = dir.resolve("sv1.toml");
        Files.writeString(good, withSv1);
        final CliRunner ok = CliRunner.run("config", "check", good.toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("valid"), ok.out());

        // the client's local extranonce is 4 bytes: SV1's extranonce2 cannot be wider
        final Path bad = dir.resolve("sv1-bad.toml");
        Files.writeString(bad, withSv1.replace("extranonce2_size = 4", "extranonce2_size = 6"));
        final CliRunner r = CliRunner.run("config", "check", bad.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains("sv1.extranonce2_size"), r.out() + r.err());
    }

    @Test
    void aConfigurationWithoutJdcIsRefused()
    {
        final CliRunner r = CliRunner.run("jdc", "--config", root().resolve("etc/pool.example.toml").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("no [jdc] section"), r.err());
    }
}
