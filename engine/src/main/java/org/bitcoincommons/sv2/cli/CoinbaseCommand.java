package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.merge.CoinbaseCommitments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 coinbase inspect --hex FILE --json}: the merged-mining and witness commitments of a coinbase.
 */
@Command(
    name = "coinbase",
    description = "Coinbase transactions.",
    subcommands = {CoinbaseCommand.Inspect.class})
public final class CoinbaseCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "inspect",
        description = "Print txid, AuxPoW commitment, RSK tag and witness commitment of a coinbase (either serialization).")
    static final class Inspect implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--hex", required = true, paramLabel = "FILE", description = "File holding the coinbase hex.")
        Path file;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public void run()
        {
            final Transaction tx;
            try
            {
                tx = Transaction.parse(Hex.decode(Files.readString(file).replaceAll("\\s+", "")));
            }
            catch (final IOException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, "cannot read " + file + ": " + ex.getMessage());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, file + ": " + ex.getMessage());
            }
            final CoinbaseCommitments c = CoinbaseCommitments.of(tx);
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("txid", HashOrder.toDisplayHex(tx.txid()));
            m.put("coinbase", tx.isCoinbase());
            m.put("aux_merkle_root", c.aux() == null ? null : HashOrder.toDisplayHex(c.aux().root()));
            m.put("merkle_size", c.aux() == null ? null : Integer.toUnsignedLong(c.aux().merkleSize()));
            m.put("merkle_nonce", c.aux() == null ? null : Integer.toUnsignedLong(c.aux().merkleNonce()));
            m.put("rsk_tag", c.rskHash() == null ? null : Hex.encode(c.rskHash()));
            m.put("witness_commitment", c.witnessCommitment() == null ? null : Hex.encode(c.witnessCommitment()));
            if (json)
            {
                spec.commandLine().getOut().println(Json.MAPPER.valueToTree(m).toString());
            }
            else
            {
                m.forEach((k, v) -> spec.commandLine().getOut().println(k + ": " + v));
            }
        }
    }
}
