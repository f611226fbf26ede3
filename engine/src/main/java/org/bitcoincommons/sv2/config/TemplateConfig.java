package org.bitcoincommons.sv2.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code [template]}: where block templates come from.
 *
 * <pre>
 * [template]
 * sources = ["bitcoind", "embedded"]   # priority order; the first healthy one is mined on
 * network = "mainnet"                  # mainnet, testnet, testnet4, signet or regtest
 * [template.bitcoind]
 * rpc_url = "http://127.0.0.1:8332"
 * ...
 * [template.sv2_tp]
 * address = "127.0.0.1:8442"
 * authority_public_key = "..."
 * </pre>
 * Today's single {@code source = "embedded"} still works (a list of one); giving both {@code source} and
 * {@code sources} is refused.
 *
 * @param sources               source names in priority order: "bitcoind", "sv2-tp", "embedded"
 * @param network               the chain payout addresses are checked against and bitcoind is expected to serve
 * @param embeddedBits          compact target of the embedded chain's blocks (default 207fffff, regtest's)
 * @param embeddedTransactions  synthetic transactions per embedded template (exercise merkle paths and witness
 *                              commitments)
 * @param bitcoind              {@code [template.bitcoind]}, or null when "bitcoind" is not among the sources
 * @param sv2Tp                 {@code [template.sv2_tp]}, or null when "sv2-tp" is not among the sources
 */
public record TemplateConfig(List<String> sources, String network, int embeddedBits, int embeddedTransactions,
    BitcoindSourceConfig bitcoind, Sv2TpConfig sv2Tp)
{
    /** Source names a config may list. */
    public static final List<String> SOURCE_NAMES = List.of("bitcoind", "sv2-tp", "embedded");
    /** Networks a config may name. */
    public static final List<String> NETWORKS = List.of("mainnet", "testnet", "testnet4", "signet", "regtest");

    /** The first source in priority order (today's single-source configurations). */
    public String source()
    {
        return sources.get(0);
    }

    static TemplateConfig read(final TomlReader t, final java.nio.file.Path baseDir)
    {
        final List<String> sources = sources(t);
        final String network = t.string("network", "regtest");
        if (!NETWORKS.contains(network))
        {
            throw new ConfigException(t.key("network") + ": must be one of " + String.join(", ", NETWORKS) +
                " (got \"" + network + "\")");
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
        final int transactions = (int)t.integer("embedded_transactions", 3, 0, 1000);
        final TomlReader bitcoindTable = t.table("bitcoind");
        final BitcoindSourceConfig bitcoind = sources.contains("bitcoind")
            ? BitcoindSourceConfig.read(bitcoindTable, network, baseDir)
            : null;
        if (bitcoind == null && bitcoindTable.present())
        {
            throw new ConfigException(t.key("bitcoind") + ": is configured but \"bitcoind\" is not in " +
                t.key("sources"));
        }
        final TomlReader sv2TpTable = t.table("sv2_tp");
        final Sv2TpConfig sv2Tp;
        if (sources.contains("sv2-tp"))
        {
            if (!sv2TpTable.present())
            {
                throw new ConfigException(t.key("sv2_tp") + ": is required when " + t.key("sources") +
                    " lists \"sv2-tp\" (address and authority_public_key of the Template Provider)");
            }
            sv2Tp = Sv2TpConfig.read(sv2TpTable);
        }
        else
        {
            if (sv2TpTable.present())
            {
                throw new ConfigException(t.key("sv2_tp") + ": is configured but \"sv2-tp\" is not in " +
                    t.key("sources"));
            }
            sv2Tp = null;
        }
        return new TemplateConfig(sources, network, b, transactions, bitcoind, sv2Tp);
    }

    private static List<String> sources(final TomlReader t)
    {
        final boolean single = t.has("source");
        final boolean list = t.has("sources");
        if (single && list)
        {
            throw new ConfigException(t.key("source") + ": give either source or sources (a priority list), not both");
        }
        final List<String> names;
        final String key;
        if (list)
        {
            key = t.key("sources");
            names = t.strings("sources");
            if (names.isEmpty())
            {
                throw new ConfigException(key + ": must name at least one source");
            }
        }
        else
        {
            key = t.key("source");
            names = List.of(t.string("source", "embedded"));
        }
        final Set<String> seen = new HashSet<>();
        final List<String> out = new ArrayList<>(names.size());
        for (final String n : names)
        {
            if (!SOURCE_NAMES.contains(n))
            {
                throw new ConfigException(key + ": unknown source \"" + n + "\" (sources are " +
                    String.join(", ", SOURCE_NAMES) + ")");
            }
            if (!seen.add(n))
            {
                throw new ConfigException(key + ": \"" + n + "\" is listed twice");
            }
            out.add(n);
        }
        return List.copyOf(out);
    }
}
