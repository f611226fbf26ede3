package org.bitcoincommons.sv2.engine;

import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * {@link StratumV2Server#start()} could not listen on one of its addresses; {@link #key()} names the configuration key
 * ({@code stratum_v2.listen_addr} or {@code api.listen_addr}) so that the caller can tell the operator which.
 */
public final class EndpointBindException extends BindException
{
    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient InetSocketAddress address;
    private final boolean inUse;

    EndpointBindException(final String key, final InetSocketAddress address, final BindException cause)
    {
        super(key + " " + address.getHostString() + ":" + address.getPort() + ": " + cause.getMessage());
        initCause(cause);
        this.key = key;
        this.address = address;
        this.inUse = cause.getMessage() != null && cause.getMessage().contains("in use");
    }

    /** The configuration key of the address. */
    public String key()
    {
        return key;
    }

    public InetSocketAddress address()
    {
        return address;
    }

    /** True when another process holds the address (rather than, say, an address not of this host). */
    public boolean inUse()
    {
        return inUse;
    }
}
