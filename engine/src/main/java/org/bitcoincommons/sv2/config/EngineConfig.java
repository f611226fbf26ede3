package org.bitcoincommons.sv2.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The whole engine configuration, read once from TOML and validated before anything starts. Every
 * error names the key ({@code conclude()}-style), unknown keys are rejected so that a typo is never
 * silently ignored.
 */
public record EngineConfig(
    StratumV2Config stratumV2,
    PoolConfig pool,
    TemplateConfig template,
    ApiConfig api,
    MergeConfig merge,
    ClusterConfig cluster,
    TemplateProviderConfig templateProvider,
    Sv1Config sv1,
    JdsConfig jds,
    JdcConfig jdc)
{
    /** Reads and validates a TOML file. */
    public static EngineConfig load(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": cannot read (" + ex.getMessage() + ")", ex);
        }
        try
        {
            return parse(text, file.toAbsolutePath().getParent());
        }
        catch (final ConfigException ex)
        {
            throw new ConfigException(file + ": " + ex.getMessage(), ex);
        }
    }

    /** Parses TOML text; relative paths resolve against {@code baseDir}. */
    public static EngineConfig parse(final String toml, final Path baseDir)
    {
        final TomlParseResult result;
        try
        {
            result = Toml.parse(toml);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            // tomlj 1.1.1 throws a bare AssertionError for some malformed escapes (a unicode escape with fewer than
            // four hex digits, found by EngineConfigFuzzTest) instead of a parse error: a bad file is still one line.
            throw new ConfigException("not valid TOML (" + ex.getClass().getSimpleName() +
                (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + "); check the string escapes");
        }
        if (result.hasErrors())
        {
            throw new ConfigException(result.errors().stream()
                .map(e -> "line " + e.position().line() + ", column " + e.position().column() + ": " + e.getMessage())
                .collect(Collectors.joining("; ")));
        }
        final TomlReader root = new TomlReader(result, "");
        final StratumV2Config stratumV2 = StratumV2Config.read(root.table("stratum_v2"), baseDir);
        final PoolConfig pool = PoolConfig.read(root.table("pool"), baseDir);
        final EngineConfig config = new EngineConfig(
            stratumV2,
            pool,
            TemplateConfig.read(root.table("template"), baseDir),
            ApiConfig.read(root.table("api"), baseDir),
            MergeConfig.read(root.table("merge"), baseDir, stratumV2),
            ClusterConfig.read(root.table("cluster"), baseDir),
            TemplateProviderConfig.read(root.table("template_provider")),
            Sv1Config.read(root.table("sv1"), pool),
            JdsConfig.read(root.table("jds")),
            JdcConfig.read(root.table("jdc")));
        root.rejectUnknown();
        if (config.jdc().enabled())
        {
            if (config.jds().enabled())
            {
                throw new ConfigException("jdc: a Job Declaration client does not run a JDS of its own; remove [jds]");
            }
            if (config.pool().coinbaseAddress().isBlank())
            {
                throw new ConfigException("pool.coinbase_address: a Job Declaration client needs it: the solo fallback "
                    + "pays it");
            }
            if (config.cluster().frontend() || config.cluster().node())
            {
                throw new ConfigException("jdc: a Job Declaration client does not run in a cluster; remove [cluster]");
            }
        }
        if (config.cluster().clusterTemplates())
        {
            final List<String> sources = config.template().sources();
            if (config.cluster().frontend() && !sources.equals(List.of("bitcoind")))
            {
                throw new ConfigException("template.sources: a frontend with cluster.templates = \"cluster\" mines the "
                    + "cluster's templates and submits found blocks to [template.bitcoind]; it must be [\"bitcoind\"] "
                    + "(got " + sources + ")");
            }
            if (config.cluster().node() && sources.contains("embedded"))
            {
                throw new ConfigException("template.sources: the embedded chain is one process's state and cannot be "
                    + "fed to a cluster; use \"bitcoind\" or \"sv2-tp\" (got " + sources + ")");
            }
        }
        if (config.templateProvider().enabled() && !config.template().sources().contains("embedded"))
        {
            throw new ConfigException("template_provider.listen_addr: the Template Provider serves the embedded chain; "
                + "it needs \"embedded\" in template.sources (got " + config.template().sources() + ")");
        }
        if (config.jds().enabled() && config.template().bitcoind() == null)
        {
            throw new ConfigException("jds.listen_addr: the Job Declaration Server reads the mempool of [template.bitcoind] "
                + "and validates declared blocks with it; add \"bitcoind\" to template.sources (got "
                + config.template().sources() + ")");
        }
        return config;
    }

    /** The defaults, as if the file were empty. */
    public static EngineConfig defaults(final Path baseDir)
    {
        return parse("", baseDir);
    }
}
