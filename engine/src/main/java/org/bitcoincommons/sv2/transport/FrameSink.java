package org.bitcoincommons.sv2.transport;

import java.io.IOException;

import org.agrona.DirectBuffer;

/**
 * Where an {@link OutboundQueue} writes plaintext frames: the connection's Noise channel, which is one. Called only
 * from the queue's writer thread (or, on an event loop, from the loop's drain).
 */
public interface FrameSink
{
    /** Encrypts and buffers one whole frame (6-byte header and payload); may write to the socket. */
    void write(DirectBuffer buffer, int offset, int length) throws IOException;

    /** Pushes everything buffered to the socket. */
    void flush() throws IOException;
}
