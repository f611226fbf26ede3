package org.bitcoincommons.sv2.cli;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 keys}: the Noise authority key pair in SRI's text forms (base58check).
 */
@Command(
    name = "keys",
    description = "Generate or inspect the Noise authority key pair (base58check, SRI format).",
    subcommands = {KeysCommand.Generate.class, KeysCommand.Public.class})
public final class KeysCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String json(final byte[] publicKey, final byte[] secretKey)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        out.put("authority_public_key", AuthorityKeys.encodePublic(publicKey));
        if (secretKey != null)
        {
            out.put("authority_secret_key", AuthorityKeys.encodeSecret(secretKey));
        }
        return Json.MAPPER.valueToTree(out).toString();
    }

    @Command(name = "generate", description = "Print a fresh authority key pair as JSON.")
    static final class Generate implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run()
        {
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            spec.commandLine().getOut().println(json(AuthorityKeys.publicOf(secret), secret));
        }
    }

    @Command(name = "public", description = "Print the authority public key of a secret key as JSON.")
    static final class Public implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--secret", required = true, description = "Authority secret key (base58check).")
        String secret;

        @Override
        public void run()
        {
            final byte[] secretKey;
            try
            {
                secretKey = AuthorityKeys.decodeSecret(secret);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, "bad --secret: " + ex.getMessage());
            }
            spec.commandLine().getOut().println(json(AuthorityKeys.publicOf(secretKey), null));
        }
    }
}
