package org.bitcoincommons.sv2.template;

/**
 * Receives templates from a {@link TemplateSource}, on the source's thread.
 */
@FunctionalInterface
public interface TemplateListener
{
    /**
     * @param template the new template
     * @param newTip   true when it builds on a different previous block than the last template
     */
    void onTemplate(Template template, boolean newTip);

    /** The source's health changed (called once per change, on the source's thread, before or after templates). */
    default void onStateChange(final SourceState state)
    {
    }
}
