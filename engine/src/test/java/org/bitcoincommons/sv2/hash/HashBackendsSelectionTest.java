package org.bitcoincommons.sv2.hash;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Choosing the backend: config values, forced fallbacks, a JVM without native access (JNA), a JVM
 * without the library (pure Java), and the copy of the library packaged in the jar.
 */
class HashBackendsSelectionTest
{
    private static final byte[] GENESIS = Sha256dOracle.unhex("0100000000000000000000000000000000000000000000000000"
        + "000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
    /** Block 0's hash as explorers print it, reversed into digest order. */
    private static final byte[] GENESIS_HASH = Sha256dOracle.reversed(
        Sha256dOracle.unhex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"));

    @Test
    void configValuesChooseTheImplementation()
    {
        assumeTrue(HashBackends.libraryPath().isPresent(), "native library not built");
        assertEquals(HashImpl.FFM, HashBackends.create("ffm").impl());
        assertEquals(HashImpl.FFM, HashBackends.create("auto").impl(), "this JVM has native access");
        assertEquals(HashImpl.JNA, HashBackends.create("JNA").impl());
        assertEquals(HashImpl.JAVA, HashBackends.create(" java ").impl());
        assertThrows(IllegalArgumentException.class, () -> HashBackends.create("gpu"));
        assertThrows(IllegalArgumentException.class, () -> HashKernel.parse("sse2"));
    }

    @Test
    void everyBackendAgreesOnGenesis()
    {
        final byte[] genesis = GENESIS;
        final byte[] want = GENESIS_HASH;
        for (final String impl : new String[] {"ffm", "jna", "java"})
        {
            final byte[] got = new byte[32];
            HashBackends.create(impl).hash(MemorySegment.ofArray(genesis), 1, MemorySegment.ofArray(got));
            assertArrayEquals(want, got, impl);
        }
    }

    @Test
    void packagedLibraryExtractsAndLoads() throws IOException
    {
        assumeTrue(HashBackendsSelectionTest.class.getResource(NativeLibraryLocator.RESOURCE) != null,
            "no library packaged (native build skipped)");
        final Optional<Path> extracted = NativeLibraryLocator.extractResource();
        assertTrue(extracted.isPresent());
        assertTrue(Files.size(extracted.get()) > 10_000);
        // The extracted copy is a loadable libsv2hash that hashes genesis right.
        try (Arena arena = Arena.ofConfined())
        {
            final SymbolLookup lib = SymbolLookup.libraryLookup(extracted.get(), arena);
            final Linker linker = Linker.nativeLinker();
            final MethodHandle hash = linker.downcallHandle(lib.find("sv2_sha256d_headers").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            final MemorySegment header = arena.allocate(80);
            MemorySegment.copy(MemorySegment.ofArray(GENESIS), 0, header, 0, 80);
            final MemorySegment out = arena.allocate(32);
            hash.invokeExact(header, 1, out);
            assertArrayEquals(GENESIS_HASH, out.toArray(ValueLayout.JAVA_BYTE));
        }
        catch (final Throwable ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void withoutNativeAccessTheJvmUsesJna() throws IOException
    {
        assumeTrue(HashBackends.libraryPath().isPresent(), "native library not built");
        final String out = runJvm(List.of("--illegal-native-access=allow", "-Dsv2.root.dir=" + rootDir()));
        assertTrue(out.startsWith("jna "), out);
    }

    @Test
    void withoutTheLibraryTheJvmUsesPureJava() throws IOException
    {
        final String out = runJvm(List.of("--enable-native-access=ALL-UNNAMED", "-Dsv2.native.lib=none"));
        assertEquals("java java java", out);
    }

    @Test
    void theSystemPropertyForcesImplAndKernel() throws IOException
    {
        assumeTrue(HashBackends.availableKernels().contains(HashKernel.PORTABLE), "native library not built");
        final String out = runJvm(List.of("--enable-native-access=ALL-UNNAMED", "-Dsv2.root.dir=" + rootDir(),
            "-Dsv2.hash.impl=jna", "-Dsv2.hash.kernel=portable"));
        assertEquals("jna portable portable", out);
    }

    private static String rootDir()
    {
        return System.getProperty("sv2.root.dir", Paths.get("..").toAbsolutePath().normalize().toString());
    }

    /** Runs {@link SelectionProbe} in a new JVM with the test class path and returns its one output line. */
    private static String runJvm(final List<String> jvmArgs) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Dsv2.log.level=WARN");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SelectionProbe.class.getName());
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try
        {
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new AssertionError("probe JVM timed out");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        return out;
    }
}
