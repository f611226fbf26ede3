package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target (Jazzer) for the TOML configuration: {@link EngineConfig#parse} of any text. What must hold: the only
 * exception is {@link ConfigException}, whose message names the line or the key, so that a bad file is a one-line
 * error at start and never a stack trace; what parses has every section.
 */
class EngineConfigFuzzTest
{
    private static final Path BASE = Path.of("/nonexistent-sv2-fuzz");

    @FuzzTest
    void toml(final byte[] data)
    {
        final EngineConfig config;
        try
        {
            config = EngineConfig.parse(new String(data, StandardCharsets.UTF_8), BASE);
        }
        catch (final ConfigException ex)
        {
            assertTrue(ex.getMessage() != null && !ex.getMessage().isBlank(), "a ConfigException without a message");
            return;
        }
        assertTrue(config.pool() != null && config.stratumV2() != null && config.template() != null);
    }
}
