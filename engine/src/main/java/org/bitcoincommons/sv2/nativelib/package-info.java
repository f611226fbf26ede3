/**
 * Finding and loading libsv2hash.so once per JVM (beside the checkout, beside the jar, or extracted from it), and
 * its symbols, for the hashing, curve and AEAD bindings.
 */
package org.bitcoincommons.sv2.nativelib;
