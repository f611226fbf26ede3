package org.bitcoincommons.sv2.config;

/**
 * {@code [template]}: where block templates come from: the embedded chain, or an SV2 Template Provider
 * ({@code [template.sv2_tp]}); a bitcoind (getblocktemplate) source is refused with a clear message rather than
 * accepted and ignored.
 *
 * @param source                "embedded": a regtest-like chain inside the process; "sv2-tp": an SV2 Template
 *                              Provider over Template Distribution
 * @param network               "regtest" (the embedded chain's rules)
 * @param embeddedBits          compact target of the embedded chain's blocks (default 207fffff, regtest's)
 * @param embeddedTransactions  synthetic transactions per embedded template (exercise merkle paths and witness
 *                              commitments)
 * @param sv2Tp                 {@code [template.sv2_tp]}, or null when that table is absent (required for "sv2-tp")
 */
public record TemplateConfig(String source, String network, int embeddedBits, int embeddedTransactions,
    Sv2TpConfig sv2Tp)
{
    static TemplateConfig read(final TomlReader t)
    {
        final String source = t.string("source", "embedded");
        if (!source.equals("embedded") && !source.equals("sv2-tp"))
        {
            throw new ConfigException(t.key("source") + ": must be \"embedded\" or \"sv2-tp\" in this version (got \"" +
                source + "\")");
        }
        final boolean hasSv2Tp = t.has("sv2_tp");
        if (source.equals("sv2-tp") && !hasSv2Tp)
        {
            throw new ConfigException(t.key("sv2_tp") + ": is required when " + t.key("source") +
                " = \"sv2-tp\" (address and authority_public_key of the Template Provider)");
        }
        final Sv2TpConfig sv2Tp = hasSv2Tp ? Sv2TpConfig.read(t.table("sv2_tp")) : null;
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
        return new TemplateConfig(source, network, b, (int)t.integer("embedded_transactions", 3, 0, 1000), sv2Tp);
    }
}
