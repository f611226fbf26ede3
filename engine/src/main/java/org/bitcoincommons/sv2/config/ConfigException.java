package org.bitcoincommons.sv2.config;

/**
 * A configuration that cannot be used. The message names the file position or the key, e.g.
 * {@code pool.shares_per_minute: must be > 0 (got -1.0)}.
 */
public final class ConfigException extends RuntimeException
{
    public ConfigException(final String message)
    {
        super(message);
    }

    public ConfigException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
