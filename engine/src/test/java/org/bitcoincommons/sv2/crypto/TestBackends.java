package org.bitcoincommons.sv2.crypto;

import java.util.stream.Stream;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;
import org.junit.jupiter.api.Assumptions;

/**
 * The EC backends every curve test runs against: java, native (the build for this CPU, x86-64-v3 here) and
 * native-baseline (the x86-64 build, forced). The native ones are skipped only when libsv2hash.so is absent; a
 * library that is present but lacks the EC code fails the test.
 */
public final class TestBackends
{
    private TestBackends()
    {
    }

    /** For {@code @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")}. */
    public static Stream<String> names()
    {
        return Stream.of("java", "native", "native-baseline");
    }

    public static EcBackend get(final String name)
    {
        if (name.startsWith("native"))
        {
            assumeNative();
            NativeEcBackend.selectVariant(name.equals("native-baseline") ? 0 : -1);
            return EcBackends.byName("native");
        }
        return EcBackends.byName(name);
    }

    public static void assumeNative()
    {
        Assumptions.assumeTrue(NativeLibraryLocator.library().isPresent(), "libsv2hash.so not built");
        if (NativeEcBackend.instance() == null)
        {
            throw new AssertionError("libsv2hash.so is present but the EC backend did not load",
                NativeEcBackend.failure());
        }
    }
}
