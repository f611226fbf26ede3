package org.bitcoincommons.sv2.merge;

/**
 * A failed JSON-RPC call to an aux chain node, by cause. The coordinator marks a chain down on
 * {@link Kind#TRANSPORT}, {@link Kind#AUTH} and {@link Kind#PROTOCOL}; a {@link Kind#RPC_ERROR} is the node's own
 * answer (e.g. a rejected block) and says nothing about its health.
 */
public final class RpcException extends Exception
{
    /** Why the call failed. */
    public enum Kind
    {
        /** Connection refused, reset, or timed out: the node is unreachable or too slow. */
        TRANSPORT,
        /** HTTP 401/403: bad credentials or cookie. */
        AUTH,
        /** The node answered with a JSON-RPC error object ({@link #code()}, message). */
        RPC_ERROR,
        /** The answer was not JSON-RPC (bad status without an error object, unparsable body, missing result). */
        PROTOCOL
    }

    private final Kind kind;
    private final long code;

    public RpcException(final Kind kind, final long code, final String message, final Throwable cause)
    {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind()
    {
        return kind;
    }

    /** The JSON-RPC error code for {@link Kind#RPC_ERROR}, the HTTP status for AUTH/PROTOCOL, else 0. */
    public long code()
    {
        return code;
    }
}
