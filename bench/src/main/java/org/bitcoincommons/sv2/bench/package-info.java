/**
 * JMH benchmarks and the end-to-end load generator. Results land in {@code jmh-results/}.
 */
package org.bitcoincommons.sv2.bench;
