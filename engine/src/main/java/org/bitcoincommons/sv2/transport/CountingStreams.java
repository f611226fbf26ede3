package org.bitcoincommons.sv2.transport;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/** Stream wrappers that add the bytes moved to a counter, one add per call (not per byte). */
public final class CountingStreams
{
    private CountingStreams()
    {
    }

    public static InputStream in(final InputStream in, final LongAdder counter)
    {
        return new FilterInputStream(in)
        {
            @Override
            public int read() throws IOException
            {
                final int b = super.read();
                if (b >= 0)
                {
                    counter.increment();
                }
                return b;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException
            {
                final int n = in.read(b, off, len);
                if (n > 0)
                {
                    counter.add(n);
                }
                return n;
            }
        };
    }

    public static OutputStream out(final OutputStream out, final LongAdder counter)
    {
        return new FilterOutputStream(out)
        {
            @Override
            public void write(final int b) throws IOException
            {
                out.write(b);
                counter.increment();
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException
            {
                out.write(b, off, len);
                counter.add(len);
            }
        };
    }
}
