package org.bitcoincommons.sv2.template.tdp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataError;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataSuccess;
import org.bitcoincommons.sv2.codec.td.SetNewPrevHash;
import org.bitcoincommons.sv2.template.Template;

/**
 * The client's view of a provider's templates, without the connection: NewTemplates kept by template_id (the
 * transactions of each are requested at once), the SetNewPrevHash that activates one, and the rule for handing a
 * template to the pool: it is the one the last SetNewPrevHash named, or a non-future template (a better one on the
 * same tip) newer than the last handed over, and its transactions have arrived and hold together
 * ({@link ReceivedTemplate}). Templates handed over are kept for {@link #templateOf}.
 * <p>
 * Threads: every method but {@link #templateOf} runs on the connection's reader thread.
 */
final class TemplateTracker
{
    /** What the tracker asks of its connection and tells its owner. */
    interface Events
    {
        /** Send RequestTransactionData for this template. */
        void requestTransactions(long templateId) throws IOException;

        /** A valid template to mine; {@code newTip}: its previous block differs from the last template's. */
        void deliver(Template template, boolean newTip);

        /** The provider announced a tip whose template cannot be mined (the reason). */
        void problem(String reason);
    }

    private final int keptReceived;
    private final int keptDelivered;
    private final Events events;
    private final Map<Long, ReceivedTemplate> received = new LinkedHashMap<>();
    /** Newest first; guarded by itself (read by block submitters). */
    private final Deque<Template> delivered = new ArrayDeque<>();
    private SetNewPrevHash active;
    private long awaitedTemplateId = -1;
    private long lastDeliveredId = -1;
    private Template lastDelivered;

    TemplateTracker(final int keptReceived, final int keptDelivered, final Events events)
    {
        this.keptReceived = keptReceived;
        this.keptDelivered = keptDelivered;
        this.events = events;
    }

    /** A new connection: nothing it announced yet is known (templates delivered before stay for submissions). */
    void reset()
    {
        received.clear();
        active = null;
        awaitedTemplateId = -1;
    }

    void newTemplate(final NewTemplate m) throws IOException
    {
        received.remove(m.templateId());
        received.put(m.templateId(), new ReceivedTemplate(m));
        final Iterator<Long> oldest = received.keySet().iterator();
        while (received.size() > keptReceived)
        {
            oldest.next();
            oldest.remove();
        }
        events.requestTransactions(m.templateId());
    }

    void setNewPrevHash(final SetNewPrevHash m)
    {
        active = m;
        awaitedTemplateId = m.templateId();
        final ReceivedTemplate r = received.get(m.templateId());
        if (r == null)
        {
            awaitedTemplateId = -1;
            events.problem("SetNewPrevHash names a template_id that was not sent");
        }
        else if (r.hasTransactions())
        {
            deliver(r);
        }
    }

    /** @return false when the template is no longer kept (the data is dropped) */
    boolean transactionData(final RequestTransactionDataSuccess m)
    {
        final ReceivedTemplate r = received.get(m.templateId());
        if (r == null)
        {
            return false;
        }
        r.transactions(m.excessData(), m.transactionList());
        if (active != null && (m.templateId() == awaitedTemplateId || (!r.future() && m.templateId() > lastDeliveredId)))
        {
            deliver(r);
        }
        return true;
    }

    /** @return true when the error concerns the template of the announced tip (reported as a problem) */
    boolean transactionDataError(final RequestTransactionDataError m)
    {
        received.remove(m.templateId());
        if (m.templateId() != awaitedTemplateId)
        {
            return false;
        }
        awaitedTemplateId = -1;
        events.problem("RequestTransactionData for the new tip's template: " + m.errorCode());
        return true;
    }

    private void deliver(final ReceivedTemplate r)
    {
        received.remove(r.templateId());
        if (r.templateId() == awaitedTemplateId)
        {
            awaitedTemplateId = -1;
        }
        final Template t;
        try
        {
            t = r.toTemplate(active);
        }
        catch (final ReceivedTemplate.InvalidTemplateException ex)
        {
            events.problem("template data rejected: " + ex.getMessage());
            return;
        }
        final boolean newTip = lastDelivered == null || !Arrays.equals(lastDelivered.prevHash(), t.prevHash());
        lastDelivered = t;
        lastDeliveredId = t.id();
        synchronized (delivered)
        {
            delivered.addFirst(t);
            while (delivered.size() > keptDelivered)
            {
                delivered.removeLast();
            }
        }
        events.deliver(t, newTip);
    }

    /**
     * The kept template a block was built on: the same previous hash, and the coinbase's txid folds up its merkle
     * path to the header's merkle root. Null when none; any thread.
     */
    Template templateOf(final byte[] header, final byte[] coinbaseTxid)
    {
        final byte[] prev = Arrays.copyOfRange(header, 4, 36);
        final byte[] root = Arrays.copyOfRange(header, 36, 68);
        synchronized (delivered)
        {
            for (final Template t : delivered)
            {
                if (Arrays.equals(prev, t.prevHash()) &&
                    Arrays.equals(root, Merkle.fold(coinbaseTxid, TemplateMessages.split(t.merklePath()), 0)))
                {
                    return t;
                }
            }
        }
        return null;
    }
}
