package org.bitcoincommons.sv2.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a tree of class files, lowering each one's major version from Java 25 (69) to Java 23 (67), for
 * {@code bin/fuzz}. Why: Jazzer 0.24.0 instruments classes for coverage with a bundled ASM that reads class files up
 * to Java 23 only and skips newer ones with "Unsupported class file major version 69", which leaves the fuzzer
 * blind. Java 24 and 25 added no bytecode or class-file attribute this code uses, so the copies load and run the
 * same on the JDK 25 that runs them; only the fuzzing run uses the copies, never the build or the jar.
 */
public final class ClassFileDowngrade
{
    private static final int JAVA_23 = 67;

    private ClassFileDowngrade()
    {
    }

    /** {@code ClassFileDowngrade FROM TO}: copies FROM's tree into TO, patching every .class file. */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("usage: ClassFileDowngrade FROM TO");
        }
        final Path from = Path.of(args[0]);
        final Path to = Path.of(args[1]);
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(from))
        {
            files = walk.filter(Files::isRegularFile).toList();
        }
        int patched = 0;
        for (final Path file : files)
        {
            final Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            final byte[] bytes = Files.readAllBytes(file);
            if (file.toString().endsWith(".class") && bytes.length > 8 && (bytes[0] & 0xff) == 0xca &&
                (bytes[6] & 0xff) == 0 && (bytes[7] & 0xff) > JAVA_23)
            {
                bytes[7] = (byte)JAVA_23;
                patched++;
            }
            Files.write(target, bytes);
        }
        System.out.println("ClassFileDowngrade: " + files.size() + " files copied, " + patched + " patched to 67");
    }
}
