package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.transport.TcpStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;

/** A Noise responder on 127.0.0.1 that echoes every frame; one virtual thread per connection. */
final class EchoServer implements AutoCloseable
{
    private final ServerSocket serverSocket;
    private final NoiseConfig config;
    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> completedHandshakes = new LinkedBlockingQueue<>();

    EchoServer(final NoiseConfig config) throws IOException
    {
        this.config = config;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
    }

    int port()
    {
        return serverSocket.getLocalPort();
    }

    /** The next connection failure seen by the server, or null after the timeout. */
    Throwable nextFailure(final long timeoutMs) throws InterruptedException
    {
        return failures.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    String nextHandshake(final long timeoutMs) throws InterruptedException
    {
        return completedHandshakes.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void acceptLoop()
    {
        while (!serverSocket.isClosed())
        {
            try
            {
                final Socket socket = serverSocket.accept();
                Thread.ofVirtual().name("echo-conn").start(() -> serve(socket));
            }
            catch (final IOException ex)
            {
                return;
            }
        }
    }

    private void serve(final Socket socket)
    {
        try (socket)
        {
            final NoiseChannel channel = NoiseChannel.accept(new TcpStream(socket), config);
            completedHandshakes.add(socket.getRemoteSocketAddress().toString());
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[TransportCipher.HEADER_LENGTH + config.maxPayloadLength()]);
            while (true)
            {
                final int length = channel.readFrame(frame);
                channel.writeFrame(frame, 0, length);
            }
        }
        catch (final NoiseException ex)
        {
            if (ex.reason() != NoiseException.Reason.EOF)
            {
                failures.add(ex);
            }
        }
        catch (final Throwable ex)
        {
            failures.add(ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        serverSocket.close();
    }
}
