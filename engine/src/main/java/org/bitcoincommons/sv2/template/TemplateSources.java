package org.bitcoincommons.sv2.template;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.config.TemplateConfig;

/**
 * Makes the template sources a configuration names, in its priority order ({@code [template] sources}).
 */
public final class TemplateSources
{
    private TemplateSources()
    {
    }

    /** Every configured source, in priority order, not started. */
    public static List<TemplateSource> create(final TemplateConfig config, final EpochClock clock)
    {
        final List<TemplateSource> out = new ArrayList<>(config.sources().size());
        for (final String name : config.sources())
        {
            out.add(create(name, config, clock));
        }
        return out;
    }

    /** One source by its config name ("bitcoind", "sv2-tp", "embedded"), not started. */
    public static TemplateSource create(final String name, final TemplateConfig config, final EpochClock clock)
    {
        return switch (name)
        {
            case "embedded" -> new EmbeddedChain(config.embeddedBits(), config.embeddedTransactions(), clock);
            case "bitcoind" -> new BitcoindSource(config.bitcoind(), config.network(), clock);
            default -> throw new IllegalArgumentException("template source \"" + name + "\" is not available in this build");
        };
    }
}
