package org.bitcoincommons.sv2.noise;

import java.util.stream.Stream;

import org.bitcoincommons.sv2.hash.NativeLibraryLocator;
import org.junit.jupiter.api.Assumptions;

/**
 * The EC backends every curve test runs against. The native one is skipped only when libsv2hash.so is absent; a
 * library that is present but lacks the EC code fails the test.
 */
final class TestBackends
{
    private TestBackends()
    {
    }

    /** For {@code @MethodSource("org.bitcoincommons.sv2.noise.TestBackends#names")}. */
    static Stream<String> names()
    {
        return Stream.of("java", "native");
    }

    static EcBackend get(final String name)
    {
        if (name.equals("native"))
        {
            assumeNative();
        }
        return EcBackends.byName(name);
    }

    static void assumeNative()
    {
        Assumptions.assumeTrue(NativeLibraryLocator.library().isPresent(), "libsv2hash.so not built");
        if (NativeEcBackend.instance() == null)
        {
            throw new AssertionError("libsv2hash.so is present but the EC backend did not load",
                NativeEcBackend.failure());
        }
    }
}
