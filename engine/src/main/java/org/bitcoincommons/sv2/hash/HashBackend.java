package org.bitcoincommons.sv2.hash;

/**
 * One way to compute SHA-256d: a {@link HeaderHasher} and a {@link NonceScanner} with the names that
 * {@code bin/sv2 version} and the start-up log show. Obtain one from {@link HashBackends}.
 */
public interface HashBackend extends HeaderHasher, NonceScanner
{
    /** How the hashing code is reached: through FFM, JNA, or pure Java. */
    HashImpl impl();

    /** The code path of batch hashing: a native kernel name ("sha-ni-x4", "avx512", ...) or "java". */
    String kernel();

    /** The code path of nonce scanning, named like {@link #kernel()}. */
    String scanKernel();
}
