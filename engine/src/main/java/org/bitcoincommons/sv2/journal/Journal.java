package org.bitcoincommons.sv2.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;

/**
 * The Chronicle Queue of accounting events in {@code journal_dir}. Documents are memory-mapped: once
 * an append returns, the event survives the death of this process (kill -9); the OS writes it back.
 * Open one per process; writers and readers are single-threaded views of it.
 */
public final class Journal implements AutoCloseable
{
    private final Path dir;
    private final ChronicleQueue queue;

    private Journal(final Path dir, final ChronicleQueue queue)
    {
        this.dir = dir;
        this.queue = queue;
    }

    /** Opens (creating when absent) the journal in {@code dir}. */
    public static Journal open(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            final ChronicleQueue q = ChronicleQueue.singleBuilder(dir)
                .rollCycle(RollCycles.FAST_DAILY)
                .build();
            return new Journal(dir, q);
        }
        catch (final Exception ex)
        {
            throw new JournalException("cannot open journal " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** Opens an existing journal for reading only; fails when {@code dir} holds none. */
    public static Journal openExisting(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new JournalException("no journal directory " + dir);
        }
        try (var files = Files.list(dir))
        {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(".cq4")))
            {
                throw new JournalException("no journal files (*.cq4) in " + dir);
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new JournalException("cannot list " + dir + ": " + ex.getMessage(), ex);
        }
        return open(dir);
    }

    /** A writer for the calling thread. */
    public JournalWriter writer()
    {
        return new JournalWriter(queue.createAppender());
    }

    /** A reader positioned at the first event. */
    public JournalReader reader()
    {
        return new JournalReader(queue.createTailer().toStart());
    }

    /**
     * A reader positioned after the last event: it sees only what is appended from now on (a live tail, e.g. the
     * engine API's listener delivery). Create it on the thread that will read it.
     */
    public JournalReader tailReader()
    {
        return new JournalReader(queue.createTailer().toEnd());
    }

    public Path dir()
    {
        return dir;
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
