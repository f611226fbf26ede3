package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bitcoincommons.sv2.hash.HashBackend;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.EcBackends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 version}: the engine version, the JVM, and which hashing, secp256k1 and AEAD implementations run.
 */
@Command(name = "version", description = "Print the engine version, JVM, hashing, secp256k1 and AEAD implementations.")
public final class VersionCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    public static String engineVersion()
    {
        final String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** Facts printed by {@code version}, in order. */
    static Map<String, String> facts()
    {
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("version", engineVersion());
        facts.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        facts.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        final HashBackend hash = HashBackends.selected();
        facts.put("hash_impl", hash.impl().configName());
        facts.put("hash_kernel", hash.kernel());
        facts.put("hash_scan_kernel", hash.scanKernel());
        facts.put("ec_impl", EcBackends.selected().name());
        facts.put("aead_impl", AeadImpl.selectedDescription());
        return facts;
    }

    @Override
    public void run()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Map<String, String> facts = facts();
        if (json)
        {
            out.println(Json.MAPPER.valueToTree(facts).toString());
        }
        else
        {
            out.println("sv2 " + facts.get("version"));
            facts.forEach((k, v) -> { if (!k.equals("version")) out.println("  " + k + ": " + v); });
        }
    }

    public static final class Provider implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"sv2 " + engineVersion()};
        }
    }
}
