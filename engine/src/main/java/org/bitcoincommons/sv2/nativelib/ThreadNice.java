package org.bitcoincommons.sv2.nativelib;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The Linux nice value of the calling platform thread (not its process), set through the C library's
 * {@code gettid} and {@code setpriority(PRIO_PROCESS, tid, nice)} by FFM. {@link Thread#setPriority} does not reach
 * the OS on Linux (HotSpot ignores it unless root runs it with {@code -XX:ThreadPriorityPolicy=1}), and only raising
 * the nice value (a lower priority) is allowed to an unprivileged process, which is all this is for: background work
 * that should take the CPU only when the latency-sensitive threads leave it. Elsewhere (another OS, no C library,
 * native access refused) it does nothing and says so: {@link #set} returns false.
 */
public final class ThreadNice
{
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle GETTID;
    private static final MethodHandle SETPRIORITY;
    private static final String UNAVAILABLE;

    static
    {
        MethodHandle gettid = null;
        MethodHandle setpriority = null;
        String why = null;
        try
        {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"))
            {
                why = "not Linux";
            }
            else
            {
                final Linker linker = Linker.nativeLinker();
                final SymbolLookup libc = linker.defaultLookup();
                gettid = linker.downcallHandle(libc.find("gettid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
                setpriority = linker.downcallHandle(libc.find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT));
            }
        }
        catch (final RuntimeException | LinkageError ex)
        {
            gettid = null;
            setpriority = null;
            why = ex.toString();
        }
        GETTID = gettid;
        SETPRIORITY = setpriority;
        UNAVAILABLE = why;
    }

    private ThreadNice()
    {
    }

    /** Null when {@link #set} can work here, else why it cannot. */
    public static String unavailable()
    {
        return UNAVAILABLE;
    }

    /**
     * Sets the calling thread's nice value (-20..19; higher is a lower priority). Call it on a platform thread: on a
     * virtual thread it would change its current carrier. Returns false when it could not (see {@link #unavailable},
     * or the OS refused: lowering the value below the current one needs privileges).
     */
    public static boolean set(final int nice)
    {
        if (nice < -20 || nice > 19)
        {
            throw new IllegalArgumentException("nice must be -20..19: " + nice);
        }
        if (SETPRIORITY == null)
        {
            return false;
        }
        try
        {
            final int tid = (int)GETTID.invokeExact();
            return (int)SETPRIORITY.invokeExact(PRIO_PROCESS, tid, nice) == 0;
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    /** The calling thread's OS thread id (Linux), or -1. */
    public static int tid()
    {
        if (GETTID == null)
        {
            return -1;
        }
        try
        {
            return (int)GETTID.invokeExact();
        }
        catch (final Throwable ex)
        {
            return -1;
        }
    }
}
