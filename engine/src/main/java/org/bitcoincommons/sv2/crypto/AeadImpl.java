package org.bitcoincommons.sv2.crypto;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ChaCha20-Poly1305 runs the Noise AEAD: the native code in libsv2hash.so through FFM, or the pure-Java code.
 * Chosen once per JVM: native when the library is found and exports the AEAD functions, else Java;
 * {@code -Dsv2.aead.impl=native|java} overrides (native falls back to Java, with a warning, when the library is
 * unusable). The choice is logged once. Both give the same bytes.
 */
public enum AeadImpl
{
    NATIVE("native"),
    JAVA("java");

    /** System property that overrides the choice. */
    public static final String PROPERTY = "sv2.aead.impl";

    private final String configName;

    AeadImpl(final String configName)
    {
        this.configName = configName;
    }

    /** The name used by {@link #PROPERTY}. */
    public String configName()
    {
        return configName;
    }

    /** Whether this implementation can run in this JVM. */
    public boolean available()
    {
        return this == JAVA || NativeAead.available();
    }

    /** The implementation new ciphers use, chosen (and logged) on first use. */
    public static AeadImpl selected()
    {
        return Selection.IMPL;
    }

    /** The selected implementation with its kernel, e.g. {@code native avx512vl} or {@code java}. */
    public static String selectedDescription()
    {
        final AeadImpl impl = selected();
        return impl == NATIVE ? impl.configName + " " + NativeAead.kernelName(NativeAead.KERNEL_AUTO) : impl.configName;
    }

    /** Parses a {@link #configName()}, case-insensitively. */
    public static AeadImpl fromConfigName(final String name)
    {
        for (final AeadImpl impl : values())
        {
            if (impl.configName.equalsIgnoreCase(name.trim()))
            {
                return impl;
            }
        }
        throw new IllegalArgumentException("unknown " + PROPERTY + " '" + name + "' (expected native or java)");
    }

    private static final class Selection
    {
        private static final Logger LOG = LoggerFactory.getLogger(AeadImpl.class);
        static final AeadImpl IMPL = choose();

        private static AeadImpl choose()
        {
            String requested = System.getProperty(PROPERTY, "").toLowerCase(Locale.ROOT);
            if (!requested.isBlank() && !requested.equals("auto"))
            {
                try
                {
                    fromConfigName(requested);
                }
                catch (final IllegalArgumentException ex)
                {
                    // A typo in a JVM flag must not leave the pool without any cipher: say so and choose as usual.
                    LOG.warn("ChaCha20-Poly1305: {}; choosing automatically", ex.getMessage());
                    requested = "";
                }
            }
            final AeadImpl impl;
            if (requested.isBlank() || requested.equals("auto"))
            {
                impl = NativeAead.available() ? NATIVE : JAVA;
            }
            else if (fromConfigName(requested) == NATIVE && !NativeAead.available())
            {
                LOG.warn("ChaCha20-Poly1305: {}=native requested but the native library is unusable ({}); using java",
                    PROPERTY, String.valueOf(NativeAead.FAILURE));
                return JAVA;
            }
            else
            {
                impl = fromConfigName(requested);
            }
            if (impl == NATIVE)
            {
                LOG.info("ChaCha20-Poly1305: native, kernel {}, from {}", NativeAead.kernelName(NativeAead.KERNEL_AUTO),
                    NativeAead.path());
            }
            else
            {
                LOG.info("ChaCha20-Poly1305: java{}", NativeAead.available() ? " (forced by " + PROPERTY + ")"
                    : " (native library unusable: " + NativeAead.FAILURE + ")");
            }
            return impl;
        }
    }
}
