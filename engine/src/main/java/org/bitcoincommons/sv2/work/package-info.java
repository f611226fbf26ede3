/**
 * Work shared by the roles that make and consume it: {@link org.bitcoincommons.sv2.work.Job} (a template plus the
 * pool's coinbase), {@link org.bitcoincommons.sv2.work.JobFactory} and its decorator, block candidates and the
 * sinks they go to, and the {@link org.bitcoincommons.sv2.work.WorkLayer} a merged-mining layer plugs in through.
 * Below both pool and merge, so neither imports the other.
 */
package org.bitcoincommons.sv2.work;
