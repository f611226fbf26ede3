package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.merge.AuxBlockProof;
import org.bitcoincommons.sv2.merge.AuxPowFailure;
import org.bitcoincommons.sv2.merge.AuxPowVerdict;
import org.bitcoincommons.sv2.merge.AuxPowVerifier;
import org.bitcoincommons.sv2.merge.ChainIdRule;
import org.bitcoincommons.sv2.merge.ParentPow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 auxpow verify --hex FILE --json}: checks an aux block's AuxPoW as the aux chain's consensus does.
 * Exit 0 valid, 1 invalid, 2 unreadable input.
 */
@Command(
    name = "auxpow",
    description = "Merged-mining (AuxPoW) proofs.",
    subcommands = {AuxpowCommand.Verify.class})
public final class AuxpowCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which parent proof-of-work to assume. */
    enum ParentPowOption
    {
        auto, sha256d, scrypt
    }

    @Command(name = "verify", description = "Verify an aux header + CAuxPow, a whole aux block, or getblock JSON.")
    static final class Verify implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--hex", required = true, paramLabel = "FILE",
            description = "Hex of header+auxpow or of a whole aux block, or a getblock JSON object with \"auxpow\".")
        Path file;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Option(names = "--chain-id", paramLabel = "N",
            description = "Expected aux chain id (default: the one the header's version gives, read by the rule of " +
                "Namecoin, Dogecoin, Syscoin or the generic one, which differ once BIP9 bits are set).")
        Integer chainId;

        @Option(names = "--parent-pow", paramLabel = "POW", defaultValue = "auto",
            description = "Parent proof of work: auto (scrypt for Dogecoin's chain id 98, else sha256d), sha256d, "
                + "scrypt (not checked).")
        ParentPowOption parentPow;

        @Override
        public Integer call()
        {
            final AuxBlockProof proof = read(file);
            final int version = (proof.header()[0] & 0xff) | (proof.header()[1] & 0xff) << 8 |
                (proof.header()[2] & 0xff) << 16 | (proof.header()[3] & 0xff) << 24;
            final ChainIdRule rule = chainId != null ? ChainIdRule.forChainId(chainId) : ChainIdRule.forVersion(version);
            final int headerChainId = rule.chainId(version);
            final ParentPow pow = switch (parentPow)
            {
                case auto -> ParentPow.forChainId(chainId != null ? chainId : headerChainId);
                case sha256d -> ParentPow.SHA256D;
                case scrypt -> ParentPow.SCRYPT;
            };
            AuxPowVerdict verdict = AuxPowVerifier.verifyHeader(proof.header(), proof.auxPow(), chainId, pow);
            if (verdict.valid() && !proof.merkleRootMatches())
            {
                verdict = new AuxPowVerdict(AuxPowFailure.AUX_MERKLE_ROOT, null, verdict.auxHash(),
                    verdict.parentHash(), verdict.chainId(), verdict.chainIndex(), verdict.merkleSize(),
                    verdict.merkleNonce(), verdict.commitmentRead(), verdict.parentPowChecked());
            }
            print(spec.commandLine().getOut(), verdict, pow, rule);
            return verdict.valid() ? ExitCode.OK : ExitCode.INVALID;
        }

        private void print(final PrintWriter out, final AuxPowVerdict v, final ParentPow pow, final ChainIdRule rule)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("valid", v.valid());
            m.put("aux_block_hash", HashOrder.toDisplayHex(v.auxHash()));
            m.put("parent_block_hash", HashOrder.toDisplayHex(v.parentHash()));
            m.put("chain_id", v.chainId());
            m.put("chain_id_rule", rule.name().toLowerCase(java.util.Locale.ROOT));
            m.put("chain_index", v.chainIndex());
            m.put("merkle_size", v.commitmentRead() ? v.merkleSize() : null);
            m.put("merkle_nonce", v.commitmentRead() ? Integer.toUnsignedLong(v.merkleNonce()) : null);
            m.put("parent_pow", v.parentPowChecked() ? "checked"
                : pow == ParentPow.SHA256D ? "not reached" : "parent PoW not checked (" + pow.name().toLowerCase()
                + " parent)");
            if (!v.valid())
            {
                m.put("reason", v.reason());
            }
            if (json)
            {
                out.println(Json.MAPPER.valueToTree(m).toString());
            }
            else
            {
                m.forEach((k, val) -> out.println(k + ": " + val));
            }
        }

        private static AuxBlockProof read(final Path file)
        {
            final String text;
            try
            {
                text = Files.readString(file).strip();
            }
            catch (final IOException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, "cannot read " + file + ": " + ex.getMessage());
            }
            try
            {
                if (text.startsWith("{"))
                {
                    return AuxBlockProof.fromGetBlockJson(Json.MAPPER.readTree(text));
                }
                return AuxBlockProof.fromBytes(Hex.decode(text.replaceAll("\\s+", "")));
            }
            catch (final JsonProcessingException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, file + ": not JSON: " + ex.getOriginalMessage());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, file + ": " + ex.getMessage());
            }
        }
    }
}
