package org.bitcoincommons.sv2.hash;

import java.util.Locale;

/**
 * How the engine reaches its SHA-256d code; the value of {@code -Dsv2.hash.impl} and of the config key
 * {@code [pool] hash_impl}.
 */
public enum HashImpl
{
    /** The fastest available: FFM when native access is granted, else JNA, else pure Java. */
    AUTO,
    /** The native kernel through Java's Foreign Function and Memory API (downcall handles). */
    FFM,
    /** The native kernel through JNA direct mapping (when FFM native access is not granted). */
    JNA,
    /** Pure Java SHA-256 with a midstate; no native code. */
    JAVA;

    /** The lower-case name used in config, logs and JSON. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a config value ({@code auto}, {@code ffm}, {@code jna}, {@code java}; case-insensitive;
     * null or blank means auto).
     *
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static HashImpl parse(final String value)
    {
        if (value == null || value.isBlank())
        {
            return AUTO;
        }
        for (final HashImpl impl : values())
        {
            if (impl.configName().equals(value.trim().toLowerCase(Locale.ROOT)))
            {
                return impl;
            }
        }
        throw new IllegalArgumentException("hash_impl must be one of auto, ffm, jna, java (got '" + value + "')");
    }
}
