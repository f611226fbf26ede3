package org.bitcoincommons.sv2.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [merge]}: the aux chains ({@code [[merge.chains]]}) the pool knows. Which of them are mined is
 * {@code stratum_v2.secondary_chains} (with {@code stratum_v2.merge_mining_enabled}); every name there must be
 * configured here. Names are unique; AuxPoW chain ids are unique (two chains with one id cannot share a tree).
 *
 * @param chains every configured aux chain, in file order
 */
public record MergeConfig(List<AuxChainConfig> chains)
{
    /** At most 63 aux chains: journal chain indices are 1..63. */
    public static final int MAX_CHAINS = 63;

    static MergeConfig read(final TomlReader t, final Path baseDir, final StratumV2Config stratumV2)
    {
        final List<TomlReader> tables = t.tables("chains");
        final List<AuxChainConfig> chains = new ArrayList<>(tables.size());
        final Map<String, String> names = new HashMap<>();
        final Map<Integer, String> ids = new HashMap<>();
        if (tables.size() > MAX_CHAINS)
        {
            throw new ConfigException(t.key("chains") + ": at most " + MAX_CHAINS + " aux chains");
        }
        for (final TomlReader table : tables)
        {
            final AuxChainConfig c = AuxChainConfig.read(table, baseDir);
            final String previous = names.put(c.name(), table.key("name"));
            if (previous != null)
            {
                throw new ConfigException(table.key("name") + ": \"" + c.name() + "\" is already used by " + previous);
            }
            if (c.kind() == AuxChainConfig.Kind.AUXPOW)
            {
                final String other = ids.put(c.chainId(), c.name());
                if (other != null)
                {
                    throw new ConfigException(table.key("chain_id") + ": chain id " + c.chainId() + " of \"" + c.name()
                        + "\" is also the chain id of \"" + other + "\"");
                }
            }
            chains.add(c);
        }
        final List<String> secondary = stratumV2.secondaryChains();
        for (int i = 0; i < secondary.size(); i++)
        {
            if (!names.containsKey(secondary.get(i)))
            {
                throw new ConfigException("stratum_v2.secondary_chains[" + i + "]: \"" + secondary.get(i)
                    + "\" is not configured (add a [[merge.chains]] table with name = \"" + secondary.get(i) + "\")");
            }
        }
        return new MergeConfig(Collections.unmodifiableList(chains));
    }

    /** The chains mined: those named in secondary_chains when merge mining is enabled, else none. */
    public List<AuxChainConfig> enabled(final StratumV2Config stratumV2)
    {
        if (!stratumV2.mergeMiningEnabled())
        {
            return List.of();
        }
        final List<AuxChainConfig> out = new ArrayList<>();
        for (final AuxChainConfig c : chains)
        {
            if (stratumV2.secondaryChains().contains(c.name()))
            {
                out.add(c);
            }
        }
        return out;
    }
}
