package org.bitcoincommons.sv2.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.template.SourceState;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.bitcoincommons.sv2.template.TemplateSources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 template}: the template sources of a configuration, without starting the pool.
 */
@Command(name = "template", description = "Inspect the configured template sources.",
    subcommands = {TemplateCommand.Check.class})
public final class TemplateCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code bin/sv2 template check --config FILE [--json]}: connects to each configured source once, in priority
     * order, and prints its state (height, best hash, latency, error). Exit 0 when every source is healthy, 1 when
     * any is not, 2 for a broken config.
     */
    @Command(name = "check", description = "Connect to each configured template source and print its state.")
    static final class Check implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", required = true, description = "TOML configuration.")
        Path config;

        @Option(names = "--timeout-ms", defaultValue = "10000",
            description = "Longest wait for each source (default ${DEFAULT-VALUE}).")
        long timeoutMs;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public void run()
        {
            final EngineConfig c;
            try
            {
                c = EngineConfig.load(config);
            }
            catch (final ConfigException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
            }
            final String address = c.pool().coinbaseAddress();
            String payout = address.isEmpty() ? "anyone-can-spend (regtest only)" : address;
            final Network network = Network.of(c.template().network());
            byte[] payoutScript = {0x51};   // OP_TRUE, regtest only
            if (!address.isEmpty())
            {
                try
                {
                    payoutScript = new AddressCodec(network, Base58::decodeCheck).scriptPubKey(address);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new CliException(ExitCode.BAD_INPUT, "pool.coinbase_address: not a " + c.template().network()
                        + " address: " + ex.getMessage());
                }
            }
            else if (network != Network.REGTEST)
            {
                throw new CliException(ExitCode.BAD_INPUT, "pool.coinbase_address: is required on " +
                    c.template().network());
            }
            final List<SourceState> states = new ArrayList<>();
            for (final String name : c.template().sources())
            {
                final TemplateSource source;
                try
                {
                    source = TemplateSources.create(name, c, payoutScript, SystemEpochClock.INSTANCE);
                }
                catch (final ConfigException ex)
                {
                    throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
                }
                try
                {
                    states.add(source.probe(timeoutMs));
                }
                finally
                {
                    source.close();
                }
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("network", c.template().network());
            out.put("payout", payout);
            final List<Map<String, Object>> list = new ArrayList<>();
            boolean allHealthy = true;
            for (final SourceState s : states)
            {
                list.add(ApiServer.sourceJson(s));
                allHealthy &= s.health().usable();
            }
            out.put("sources", list);
            final var o = spec.commandLine().getOut();
            if (json)
            {
                o.println(Json.MAPPER.valueToTree(out).toString());
            }
            else
            {
                o.println("network " + out.get("network") + ", payout " + payout);
                for (final SourceState s : states)
                {
                    o.printf("%-9s %-9s height %-8d %s%s%s%n", s.name(), s.health().name().toLowerCase(java.util.Locale.ROOT),
                        s.height(), s.bestHash(), s.latencyUs() < 0 ? "" : String.format(" %.1f ms", s.latencyUs() / 1000.0),
                        s.error().isEmpty() ? "" : "  error: " + s.error());
                }
            }
            o.flush();
            if (!allHealthy)
            {
                throw new CliException(ExitCode.INVALID, "not every template source is healthy");
            }
        }
    }
}
