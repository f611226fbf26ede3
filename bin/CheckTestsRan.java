import java.io.IOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fails the build when a test class was compiled but never executed: `make test` runs it (through bin/test-summary)
 * after `mvn verify`. Run with the JDK's source launcher: {@code java bin/CheckTestsRan.java ROOT}.
 *
 * <p>For every module under ROOT with {@code target/test-classes}, it reads each compiled class (the JDK's ClassFile
 * API) and collects the concrete classes that declare or inherit a method annotated with a JUnit or jqwik test
 * annotation. Each must appear as a {@code classname} in one of the module's Surefire reports
 * ({@code target/surefire-reports/TEST-*.xml}). Nested classes are checked under their binary name ({@code Outer$Inner},
 * as Surefire reports a {@code @Nested} class); abstract classes and interfaces are skipped, their concrete
 * subclasses are checked instead. Exit status 0 when every such class ran, 1 otherwise (the missing ones are listed).
 */
public final class CheckTestsRan
{
    /** Annotations that make a method a test (JUnit Jupiter, JUnit params, jqwik, Jazzer). */
    private static final Set<String> TEST_ANNOTATIONS = Set.of(
        "Lorg/junit/jupiter/api/Test;",
        "Lorg/junit/jupiter/api/RepeatedTest;",
        "Lorg/junit/jupiter/api/TestFactory;",
        "Lorg/junit/jupiter/api/TestTemplate;",
        "Lorg/junit/jupiter/params/ParameterizedTest;",
        "Lnet/jqwik/api/Property;",
        "Lnet/jqwik/api/Example;",
        "Lcom/code_intelligence/jazzer/junit/FuzzTest;");
    private static final Pattern CLASSNAME = Pattern.compile("<testcase [^>]*classname=\"([^\"]+)\"");

    private record TestClass(String name, String superName, boolean concrete, boolean declaresTests)
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Path root = Path.of(args.length > 0 ? args[0] : ".");
        final List<Path> modules;
        try (Stream<Path> s = Files.list(root))
        {
            modules = s.filter(m -> Files.isDirectory(m.resolve("target/test-classes"))).sorted().toList();
        }
        final Set<String> missing = new TreeSet<>();
        int required = 0;
        for (final Path module : modules)
        {
            final Set<String> expected = expected(module.resolve("target/test-classes"));
            final Set<String> ran = ran(module.resolve("target/surefire-reports"));
            required += expected.size();
            for (final String name : expected)
            {
                if (!ran.contains(name))
                {
                    missing.add(root.relativize(module) + ": " + name);
                }
            }
        }
        if (!missing.isEmpty())
        {
            System.err.println("error: " + missing.size() + " test class(es) contain tests that Surefire never ran " +
                "(name them *Test, or annotate a nested class @Nested):");
            missing.forEach(m -> System.err.println("  " + m));
            System.exit(1);
        }
        System.out.println("test classes: all " + required + " ran");
    }

    /** Binary names of the concrete classes under {@code classes} that declare or inherit test methods. */
    private static Set<String> expected(final Path classes) throws IOException
    {
        final Map<String, TestClass> all = new HashMap<>();
        try (Stream<Path> s = Files.walk(classes))
        {
            for (final Path p : s.filter(f -> f.toString().endsWith(".class")).toList())
            {
                final ClassModel c = ClassFile.of().parse(p);
                final String name = c.thisClass().asInternalName().replace('/', '.');
                final String superName = c.superclass().map(x -> x.asInternalName().replace('/', '.')).orElse(null);
                final boolean concrete = !c.flags().has(AccessFlag.ABSTRACT) && !c.flags().has(AccessFlag.INTERFACE);
                all.put(name, new TestClass(name, superName, concrete, c.methods().stream().anyMatch(CheckTestsRan::isTest)));
            }
        }
        final Set<String> out = new TreeSet<>();
        for (final TestClass c : all.values())
        {
            if (c.concrete() && hasTests(c, all))
            {
                out.add(c.name());
            }
        }
        return out;
    }

    private static boolean hasTests(final TestClass c, final Map<String, TestClass> all)
    {
        for (TestClass k = c; k != null; k = k.superName() == null ? null : all.get(k.superName()))
        {
            if (k.declaresTests())
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isTest(final MethodModel m)
    {
        return m.findAttribute(Attributes.runtimeVisibleAnnotations())
            .map(a -> a.annotations().stream().map(Annotation::classSymbol)
                .anyMatch(t -> TEST_ANNOTATIONS.contains(t.descriptorString())))
            .orElse(false);
    }

    /** Every {@code classname} in the module's Surefire XML reports. */
    private static Set<String> ran(final Path reports) throws IOException
    {
        final Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(reports))
        {
            return out;
        }
        try (Stream<Path> s = Files.list(reports))
        {
            for (final Path r : s.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).toList())
            {
                final Matcher m = CLASSNAME.matcher(Files.readString(r));
                while (m.find())
                {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
