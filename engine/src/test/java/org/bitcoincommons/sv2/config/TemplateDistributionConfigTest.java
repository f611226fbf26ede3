package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** {@code [template.sv2_tp]} and {@code [template_provider]}: the keys are a contract, errors name them. */
class TemplateDistributionConfigTest
{
    private static final String KEY = "9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh";

    private static EngineConfig parse(final String toml)
    {
        return EngineConfig.parse(toml, Path.of("."));
    }

    private static String error(final String toml)
    {
        return assertThrows(ConfigException.class, () -> parse(toml)).getMessage();
    }

    @Test
    void readsTheTemplateProviderSource()
    {
        final EngineConfig c = parse("""
            [template]
            source = "sv2-tp"
            [template.sv2_tp]
            address = "127.0.0.1:18447"
            authority_public_key = "%s"
            """.formatted(KEY));
        assertEquals("sv2-tp", c.template().source());
        assertEquals(new InetSocketAddress("127.0.0.1", 18447), c.template().sv2Tp().address());
        assertEquals(KEY, c.template().sv2Tp().authorityPublicKey());
        assertFalse(c.templateProvider().enabled());
    }

    @Test
    void theAuthorityKeyIsRequired()
    {
        assertTrue(error("""
            [template]
            source = "sv2-tp"
            [template.sv2_tp]
            address = "127.0.0.1:8442"
            """).startsWith("template.sv2_tp.authority_public_key: is required"));
        assertTrue(error("""
            [template]
            source = "sv2-tp"
            [template.sv2_tp]
            address = "127.0.0.1:8442"
            authority_public_key = " "
            """).startsWith("template.sv2_tp.authority_public_key: is required"));
        assertTrue(error("""
            [template]
            source = "sv2-tp"
            """).startsWith("template.sv2_tp: is required when template.sources lists \"sv2-tp\""));
        assertTrue(error("""
            [template]
            sources = ["sv2-tp"]
            [template.sv2_tp]
            authority_public_key = "%s"
            """.formatted(KEY)).startsWith("template.sv2_tp.address: is required"));
        assertTrue(error("""
            [template]
            sources = ["sv2-tp"]
            [template.sv2_tp]
            address = "127.0.0.1"
            authority_public_key = "%s"
            """.formatted(KEY)).startsWith("template.sv2_tp.address: must be host:port"));
        assertTrue(error("""
            [template]
            sources = ["sv2-tp"]
            [template.sv2_tp]
            address = "127.0.0.1:8442"
            authority_public_key = "%s"
            public_key = "%s"
            """.formatted(KEY, KEY)).contains("unknown key template.sv2_tp.public_key"));
        assertTrue(error("""
            [template]
            sources = ["embedded"]
            [template.sv2_tp]
            address = "127.0.0.1:8442"
            authority_public_key = "%s"
            """.formatted(KEY)).startsWith("template.sv2_tp: is configured but \"sv2-tp\" is not in template.sources"));
    }

    @Test
    void theTemplateProviderServesTheEmbeddedChainOnly()
    {
        final EngineConfig c = parse("""
            [template_provider]
            listen_addr = "127.0.0.1:18447"
            """);
        assertTrue(c.templateProvider().enabled());
        assertEquals(18447, c.templateProvider().listenAddr().getPort());
        assertNull(parse("").templateProvider().listenAddr());
        assertTrue(error("""
            [template]
            source = "sv2-tp"
            [template.sv2_tp]
            address = "127.0.0.1:8442"
            authority_public_key = "%s"
            [template_provider]
            listen_addr = "127.0.0.1:18447"
            """.formatted(KEY)).startsWith("template_provider.listen_addr: the Template Provider serves the embedded chain"));
        assertTrue(error("""
            [template_provider]
            listen_addr = "nowhere"
            """).startsWith("template_provider.listen_addr: must be host:port"));
        assertTrue(error("""
            [template_provider]
            listen = "127.0.0.1:1"
            """).contains("unknown key template_provider.listen"));
    }
}
