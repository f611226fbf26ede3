package org.bitcoincommons.sv2.crypto;

import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link EcBackend} once per JVM: native (libsv2hash.so through FFM) when the library is found and
 * exports the EC symbols, else pure Java. {@code -Dsv2.ec.impl=native|java|auto} overrides (default auto); a native
 * choice that cannot load falls back to Java with a warning. The choice is logged once (slf4j, INFO).
 */
public final class EcBackends
{
    public static final String PROPERTY = "sv2.ec.impl";

    private static final Logger LOG = LoggerFactory.getLogger(EcBackends.class);

    private EcBackends()
    {
    }

    /** The backend every handshake uses unless given another. */
    public static EcBackend selected()
    {
        return Selected.BACKEND;
    }

    /** The pure-Java backend (always available). */
    public static EcBackend java()
    {
        return JavaEcBackend.INSTANCE;
    }

    /** The native backend, or empty when the library or its EC symbols cannot be loaded here. */
    public static Optional<EcBackend> nativeBackend()
    {
        return Optional.ofNullable(NativeEcBackend.instance());
    }

    /**
     * A backend by name: "native" or "java".
     *
     * @throws IllegalArgumentException for another name.
     * @throws IllegalStateException if native is asked for and cannot load.
     */
    public static EcBackend byName(final String name)
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case JavaEcBackend.NAME -> java();
            case NativeEcBackend.NAME -> nativeBackend().orElseThrow(() -> new IllegalStateException(
                "native EC backend unavailable: " + NativeEcBackend.failure()));
            default -> throw new IllegalArgumentException("unknown EC backend '" + name + "' (native, java)");
        };
    }

    private static EcBackend choose()
    {
        final String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        final EcBackend backend;
        switch (value)
        {
            case JavaEcBackend.NAME -> backend = java();
            case NativeEcBackend.NAME, "auto", "" ->
            {
                final Optional<EcBackend> nat = nativeBackend();
                if (nat.isEmpty() && value.equals(NativeEcBackend.NAME))
                {
                    LOG.warn("{}=native is not available here ({}); using java", PROPERTY,
                        NativeEcBackend.failure());
                }
                backend = nat.orElse(java());
            }
            default ->
            {
                LOG.warn("unknown {}={}; expected native, java or auto; using auto", PROPERTY, value);
                backend = nativeBackend().orElse(java());
            }
        }
        if (backend == java() && NativeEcBackend.failure() != null)
        {
            LOG.info("secp256k1 (Noise handshake): java ({})", value.equals(JavaEcBackend.NAME)
                ? "-D" + PROPERTY + "=java" : "native unavailable: " + NativeEcBackend.failure().getMessage());
        }
        else
        {
            LOG.info("secp256k1 (Noise handshake): {}{}", backend.name(), backend == java() ? ""
                : " (" + NativeEcBackend.variant() + ", " + NativeEcBackend.libraryPath() + ")");
        }
        return backend;
    }

    private static final class Selected
    {
        static final EcBackend BACKEND = choose();
    }
}
