/**
 * SHA-256d of block headers: batch share validation ({@link org.bitcoincommons.sv2.hash.HeaderHasher}) and
 * miner nonce scanning ({@link org.bitcoincommons.sv2.hash.NonceScanner}).
 * <p>
 * {@link org.bitcoincommons.sv2.hash.HashBackends#create(String)} picks the backend: the native kernel
 * (native/, libsv2hash.so: SHA-NI in 1, 2 or 4 interleaved streams, 8-lane AVX2, 16-lane AVX-512, portable
 * C, chosen by CPUID) through FFM, else through JNA when FFM native access is not granted, else pure
 * Java. The library is found beside the checkout or the jar, or extracted from the jar
 * ({@link org.bitcoincommons.sv2.nativelib.NativeLibraryLocator}). No call allocates; instances are confined
 * to one thread.
 */
package org.bitcoincommons.sv2.hash;
