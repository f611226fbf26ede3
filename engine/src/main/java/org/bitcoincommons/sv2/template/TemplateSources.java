package org.bitcoincommons.sv2.template;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.template.tdp.CoinbaseBudget;
import org.bitcoincommons.sv2.template.tdp.Sv2TpSource;

/**
 * Makes the template sources a configuration names, in its priority order ({@code [template] sources}).
 */
public final class TemplateSources
{
    private TemplateSources()
    {
    }

    /**
     * Every configured source, in priority order, not started.
     *
     * @param payoutScript the pool's payout scriptPubKey (a Template Provider is told how much room it takes)
     */
    public static List<TemplateSource> create(final EngineConfig config, final byte[] payoutScript,
        final EpochClock clock)
    {
        final List<TemplateSource> out = new ArrayList<>(config.template().sources().size());
        for (final String name : config.template().sources())
        {
            out.add(create(name, config, payoutScript, clock));
        }
        return out;
    }

    /** One source by its config name ("bitcoind", "sv2-tp", "embedded"), not started. */
    public static TemplateSource create(final String name, final EngineConfig config, final byte[] payoutScript,
        final EpochClock clock)
    {
        final var t = config.template();
        return switch (name)
        {
            case "embedded" -> new EmbeddedChain(t.embeddedBits(), t.embeddedTransactions(), clock);
            case "bitcoind" -> new BitcoindSource(t.bitcoind(), t.network(), clock);
            case "sv2-tp" -> Sv2TpSource.create(t.sv2Tp(), CoinbaseBudget.forPool(config, payoutScript),
                config.stratumV2().handshakeTimeoutMs());
            default -> throw new IllegalArgumentException("unknown template source \"" + name + "\"");
        };
    }
}
