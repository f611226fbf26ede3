package org.bitcoincommons.sv2.template;

/**
 * Where block templates come from and where found blocks go: the embedded chain, bitcoind over JSON-RPC, or an SV2
 * Template Provider. The pool sees one of these (a {@link FailoverSource} over the configured sources in priority
 * order), whatever the sources are.
 *
 * <p>The contract, for anyone adding a source:
 * <ul>
 * <li>{@link #start} returns at once; templates then arrive on the source's own thread(s) through
 *     {@link TemplateListener#onTemplate}, one at a time (never concurrently), with increasing {@link Template#id()}.
 *     {@code newTip} is true when the template's previous block differs from the previous template's.</li>
 * <li>Health changes are reported through {@link TemplateListener#onStateChange} once per change and logged once per
 *     change (never once per failed attempt). A source that cannot reach its node, is refused, receives bytes it
 *     cannot use, or has had no answer for its own deadline reports {@link SourceHealth#DOWN} or
 *     {@link SourceHealth#NOT_READY} within that deadline; it keeps trying in the background and reports
 *     {@link SourceHealth#HEALTHY} with a fresh template when it recovers. Bad input never escapes as an exception
 *     to the listener and never affects another source.</li>
 * <li>{@link #submitBlock} may be called from any thread, concurrently with everything else, and must not wait
 *     behind a template fetch (e.g. a long poll).</li>
 * <li>{@link #probe} is for {@code bin/sv2 template check}: one connection, one template, no listener.</li>
 * </ul>
 */
public interface TemplateSource extends AutoCloseable
{
    /** Starts delivering templates; the first one arrives before this returns or soon after. */
    void start(TemplateListener listener);

    /**
     * Submits a full serialized block; blocking, called off the hot path.
     *
     * @return null when the block was accepted, else the node's reason (bitcoind's submitblock strings: "duplicate",
     *     "inconclusive", or a BIP22 reject reason such as "high-hash")
     */
    String submitBlock(byte[] block);

    /** A short name for logs, status and metrics: "embedded", "bitcoind", "sv2-tp". */
    String name();

    /** Height of the current chain tip (the newest template's height - 1); -1 before any template. */
    long tipHeight();

    /** The source's current state; cheap, callable from any thread. */
    SourceState state();

    /**
     * Connects once, fetches one template and reports what it saw, without {@link #start} and without delivering
     * anything. Blocking, at most about {@code timeoutMs}.
     */
    SourceState probe(long timeoutMs);

    @Override
    void close();
}
