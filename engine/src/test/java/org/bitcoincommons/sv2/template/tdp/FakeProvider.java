package org.bitcoincommons.sv2.template.tdp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.catalog.MessageCatalog;
import org.bitcoincommons.sv2.codec.catalog.MessageRecords;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;

/**
 * A Template Provider that misbehaves on purpose, for the client's bad-input tests: real loopback TCP and a real Noise
 * NX responder, then whatever the test's script says for each connection (numbered from 1): garbage, a frame cut in
 * the middle, inconsistent templates.
 */
final class FakeProvider implements AutoCloseable
{
    /** What one connection does after the handshake. */
    @FunctionalInterface
    interface Script
    {
        void run(Connection c, int number) throws Exception;
    }

    /** One accepted connection, handshake done. */
    static final class Connection
    {
        final Socket socket;
        final CuttableOutput out;
        final NoiseChannel channel;

        Connection(final Socket socket, final NoiseConfig noise) throws IOException
        {
            this.socket = socket;
            this.out = new CuttableOutput(socket.getOutputStream());
            this.channel = NoiseChannel.accept(new BufferedInputStream(socket.getInputStream()), out, socket, noise);
        }

        Message read() throws IOException
        {
            final int n = channel.readFrame();
            final DirectBuffer b = channel.frameBuffer();
            return MessageRecords.decode(MessageCatalog.find(FrameHeaderFlyweight.extensionType(b, 0) & 0x7fff,
                FrameHeaderFlyweight.msgType(b, 0)), b, 6, n - 6);
        }

        SetupConnection readSetup() throws IOException
        {
            return (SetupConnection)read();
        }

        void send(final Message m) throws IOException
        {
            TdpFrames.queue(channel, m);
            channel.flush();
        }

        /** An encrypted frame of this type whose payload is whatever the test gives (malformed on purpose). */
        void sendRaw(final int msgType, final byte[] payload) throws IOException
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[6 + payload.length]);
            FrameHeaderFlyweight.write(b, 0, 0, false, msgType, payload.length);
            b.putBytes(6, payload);
            channel.writeFrame(b, 0, b.capacity());
        }

        /** Bytes straight onto the socket, outside Noise. */
        void sendPlain(final byte[] bytes) throws IOException
        {
            out.write(bytes);
            out.flush();
        }

        /** Reads until the client goes away. */
        void drain()
        {
            try
            {
                while (true)
                {
                    channel.readFrame();
                }
            }
            catch (final IOException ex)
            {
                // the client closed
            }
        }
    }

    /** Passes bytes on until a limit is set and reached, then drops the rest and closes the socket. */
    static final class CuttableOutput extends OutputStream
    {
        private final OutputStream out;
        private volatile long remaining = Long.MAX_VALUE;

        CuttableOutput(final OutputStream out)
        {
            this.out = out;
        }

        /** Only {@code bytes} more bytes reach the peer; then the connection closes. */
        void cutAfter(final long bytes)
        {
            remaining = bytes;
        }

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            final long n = Math.min(len, remaining);
            out.write(b, off, (int)n);
            if (remaining != Long.MAX_VALUE)
            {
                remaining -= n;
                if (remaining == 0)
                {
                    out.flush();
                    out.close();
                }
            }
        }

        @Override
        public void flush() throws IOException
        {
            out.flush();
        }
    }

    private final ServerSocket server;
    private final NoiseConfig noise;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FakeProvider(final byte[] authoritySecret, final Script script) throws IOException
    {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.noise = new NoiseConfig().authoritySecretKey(authoritySecret).conclude();
        this.script = script;
        Thread.ofVirtual().name("fake-tp-accept").start(this::acceptLoop);
    }

    InetSocketAddress address()
    {
        return (InetSocketAddress)server.getLocalSocketAddress();
    }

    /** Connections accepted so far. */
    int connections()
    {
        return connections.get();
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            try
            {
                final Socket s = server.accept();
                open.add(s);
                final int number = connections.incrementAndGet();
                Thread.ofVirtual().name("fake-tp-" + number).start(() -> serve(s, number));
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }

    private void serve(final Socket s, final int number)
    {
        try
        {
            script.run(new Connection(s, noise), number);
        }
        catch (final Exception ex)
        {
            // the client went away, or the script ended the connection on purpose
        }
        finally
        {
            try
            {
                s.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException
    {
        closed = true;
        server.close();
        for (final Socket s : open)
        {
            s.close();
        }
    }
}
