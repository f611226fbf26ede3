package org.bitcoincommons.sv2.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.bitcoincommons.sv2.config.ClusterConfig;

/**
 * Port blocks for a cluster on one machine (tests and {@code bin/sv2 bench cluster}): Aeron members listen on fixed
 * ports, so each member gets a block whose UDP ports were free when probed. Cold path.
 */
public final class LoopbackPorts
{
    private LoopbackPorts()
    {
    }

    /** {@code count} distinct "127.0.0.1:base" members whose UDP ports base+1..base+5 were free a moment ago. */
    public static List<String> freeMemberBlocks(final int count) throws IOException
    {
        final List<Integer> bases = new ArrayList<>();
        final List<String> out = new ArrayList<>();
        int attempts = 0;
        while (out.size() < count)
        {
            if (++attempts > 500)
            {
                throw new IOException("no free block of UDP ports on 127.0.0.1 found");
            }
            // below Linux's ephemeral range (32768..60999), so that no socket bound to port 0 takes a member's port
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(1270) * 10;
            if (bases.contains(base) || !free(base))
            {
                continue;
            }
            bases.add(base);
            out.add("127.0.0.1:" + base);
        }
        return out;
    }

    private static boolean free(final int base)
    {
        final List<DatagramSocket> held = new ArrayList<>();
        try
        {
            for (int p = base + ClusterConfig.ARCHIVE_CONTROL_PORT_OFFSET; p <= base + ClusterConfig.CATCHUP_PORT_OFFSET; p++)
            {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
        finally
        {
            held.forEach(DatagramSocket::close);
        }
    }
}
