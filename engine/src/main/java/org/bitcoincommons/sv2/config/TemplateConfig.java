package org.bitcoincommons.sv2.config;

/**
 * {@code [template]}: where block templates come from. This version has the embedded chain; a bitcoind
 * (getblocktemplate) or SV2 Template Provider source is refused with a clear message rather than accepted and ignored.
 *
 * @param source                "embedded": a regtest-like chain inside the process
 * @param network               "regtest" (the embedded chain's rules)
 * @param embeddedBits          compact target of the embedded chain's blocks (default 207fffff, regtest's)
 * @param embeddedTransactions  synthetic transactions per embedded template (exercise merkle paths and witness
 *                              commitments)
 */
public record TemplateConfig(String source, String network, int embeddedBits, int embeddedTransactions)
{
    static TemplateConfig read(final TomlReader t)
    {
        final String source = t.string("source", "embedded");
        if (!source.equals("embedded"))
        {
            throw new ConfigException(t.key("source") + ": only \"embedded\" is available in this version (got \"" +
                source + "\")");
        }
        final String network = t.string("network", "regtest");
        if (!network.equals("regtest"))
        {
            throw new ConfigException(t.key("network") + ": the embedded chain is regtest-like; use \"regtest\" (got \"" +
                network + "\")");
        }
        final String bits = t.string("embedded_bits", "207fffff");
        if (!bits.matches("[0-9a-fA-F]{8}"))
        {
            throw new ConfigException(t.key("embedded_bits") + ": must be 8 hex digits (got \"" + bits + "\")");
        }
        final int b = Integer.parseUnsignedInt(bits, 16);
        if ((b & 0x00800000) != 0 || (b & 0x007fffff) == 0 || (b >>> 24) > 32 || (b >>> 24) < 3)
        {
            throw new ConfigException(t.key("embedded_bits") + ": not a valid compact target (got \"" + bits + "\")");
        }
        return new TemplateConfig(source, network, b, (int)t.integer("embedded_transactions", 3, 0, 1000));
    }
}
