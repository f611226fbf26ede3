package org.bitcoincommons.sv2.loadgen;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Source addresses for a crowd of simulated miners on one machine. Connecting 15,000 sockets from 127.0.0.1 to one
 * pool address makes the kernel search the ephemeral port range for a free 4-tuple on every connect, a search that
 * grows with the ports in use and in TIME_WAIT (a crowd closed before the next storm leaves 15,000): 8% of the
 * generator's CPU in a storm ({@code __inet_check_established}, {@code __inet_hash_connect}). A real crowd comes from
 * many hosts; on IPv4 loopback every address of 127.0.0.0/8 is local, so miner {@code i} binds to one of
 * {@link #ADDRESSES} of them (about 15 miners each in a storm of 15,000), with an ephemeral port chosen at bind.
 * Targets that are not IPv4 loopback are left alone.
 */
final class LoopbackSources
{
    /** Distinct source addresses: 127.0.0.1 to 127.0.3.250. */
    static final int ADDRESSES = 1000;

    private LoopbackSources()
    {
    }

    /** Binds {@code socket} to miner {@code index}'s loopback source address when {@code target} is IPv4 loopback. */
    static void bind(final Socket socket, final InetSocketAddress target, final int index) throws IOException
    {
        final InetAddress to = target.getAddress();
        if (to instanceof Inet4Address && to.isLoopbackAddress())
        {
            socket.bind(new InetSocketAddress(address(index), 0));
        }
    }

    /** Miner {@code index}'s source address, 127.0.{k / 250}.{k % 250 + 1} with k = index mod {@link #ADDRESSES}. */
    static InetAddress address(final int index)
    {
        final int k = Math.floorMod(index, ADDRESSES);
        try
        {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte)(k / 250), (byte)(k % 250 + 1)});
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);   // four bytes are always an address
        }
    }
}
