package org.bitcoincommons.sv2.template.tdp;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bitcoincommons.sv2.template.Template;

/**
 * The Template Provider's templates by template_id, with sv2-tp's rules for old ones: after a new tip, templates on
 * the previous tip still answer RequestTransactionData and SubmitSolution for a grace period of 10 s
 * (STALE_TEMPLATE_GRACE_PERIOD); after it, RequestTransactionData gets {@code stale-template-id}, and the next time a
 * template is added they are pruned (then {@code template-id-not-found}). SubmitSolution is answered from any template
 * still cached, as sv2-tp does: a late block on an old template is still built and handed to the chain, which
 * judges it. At most {@link #MAX_TEMPLATES} are kept (the oldest go first), so a client that keeps sending
 * CoinbaseOutputConstraints cannot grow the cache without bound. Thread-safe (one lock, cold path).
 */
final class ProvidedTemplates
{
    /** sv2-tp's STALE_TEMPLATE_GRACE_PERIOD, ms. */
    static final long STALE_GRACE_MS = 10_000;
    static final int MAX_TEMPLATES = 1024;
    static final String TEMPLATE_ID_NOT_FOUND = "template-id-not-found";
    static final String STALE_TEMPLATE_ID = "stale-template-id";

    /** A template found, or the error code RequestTransactionData.Error carries. */
    record Lookup(Template template, String errorCode)
    {
    }

    private final Map<Long, Template> byId = new LinkedHashMap<>();
    private long nextTemplateId = 1;
    private byte[] bestPrevHash;
    /** Wall-clock ms at which the current tip was first seen (sv2-tp's m_last_block_time). */
    private long tipSeenMs;

    /**
     * Caches {@code t} under a fresh template_id (ids increase from 1, shared by every client).
     *
     * @param nowMs wall clock, ms
     */
    synchronized long add(final Template t, final long nowMs)
    {
        if (bestPrevHash == null || !Arrays.equals(bestPrevHash, t.prevHash()))
        {
            bestPrevHash = t.prevHash().clone();
            tipSeenMs = nowMs;
        }
        prune(nowMs);
        final long id = nextTemplateId++;
        byId.put(id, t);
        final Iterator<Long> oldest = byId.keySet().iterator();
        while (byId.size() > MAX_TEMPLATES)
        {
            oldest.next();
            oldest.remove();
        }
        return id;
    }

    /** For RequestTransactionData: the template, or {@code template-id-not-found} / {@code stale-template-id}. */
    synchronized Lookup forTransactionData(final long templateId, final long nowMs)
    {
        final Template t = byId.get(templateId);
        if (t == null)
        {
            return new Lookup(null, TEMPLATE_ID_NOT_FOUND);
        }
        if (!Arrays.equals(t.prevHash(), bestPrevHash) && nowMs - tipSeenMs > STALE_GRACE_MS)
        {
            return new Lookup(null, STALE_TEMPLATE_ID);
        }
        return new Lookup(t, null);
    }

    /** For SubmitSolution: the cached template, or null when it is not (or no longer) cached. */
    synchronized Template forSolution(final long templateId)
    {
        return byId.get(templateId);
    }

    synchronized int size()
    {
        return byId.size();
    }

    private void prune(final long nowMs)
    {
        if (nowMs - tipSeenMs <= STALE_GRACE_MS)
        {
            return;
        }
        byId.values().removeIf(t -> !Arrays.equals(t.prevHash(), bestPrevHash));
    }
}
