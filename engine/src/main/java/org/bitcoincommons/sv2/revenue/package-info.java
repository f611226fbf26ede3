/**
 * Rewards, fees and the 60/25/10/5 revenue split ({@link org.bitcoincommons.sv2.revenue.RevenueSplit}), recorded as
 * accounting events through {@link org.bitcoincommons.sv2.revenue.MergeAccounting} (journaled on the pool logic
 * thread by {@link org.bitcoincommons.sv2.revenue.JournalMergeAccounting}). Used by the pool for Bitcoin blocks and
 * by merged mining for aux blocks.
 */
package org.bitcoincommons.sv2.revenue;
