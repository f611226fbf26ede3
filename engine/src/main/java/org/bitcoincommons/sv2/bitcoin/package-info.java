/**
 * Bitcoin primitives the pool builds on. Imports nothing from other engine packages.
 *
 * <ul>
 *   <li>Hashing and byte order: {@link org.bitcoincommons.sv2.bitcoin.Sha256d} (allocation-free instance,
 *       one per thread), {@link org.bitcoincommons.sv2.bitcoin.HashOrder} (the only place hashes are reversed for
 *       display), {@link org.bitcoincommons.sv2.bitcoin.Hex}.</li>
 *   <li>Header: {@link org.bitcoincommons.sv2.bitcoin.BlockHeader} flyweight and
 *       {@link org.bitcoincommons.sv2.bitcoin.BlockHeaderEncoder}.</li>
 *   <li>Proof of work: {@link org.bitcoincommons.sv2.bitcoin.Target} (compact bits, 32-byte LE targets,
 *       allocation-free hash &lt;= target, difficulty, SRI hashrate formulas).</li>
 *   <li>Merkle trees: {@link org.bitcoincommons.sv2.bitcoin.Merkle} (roots, branches, folds, SV2 coinbase-left
 *       fold, BIP141 witness commitment).</li>
 *   <li>Transactions and blocks: {@link org.bitcoincommons.sv2.bitcoin.Transaction},
 *       {@link org.bitcoincommons.sv2.bitcoin.TxIn}, {@link org.bitcoincommons.sv2.bitcoin.TxOut},
 *       {@link org.bitcoincommons.sv2.bitcoin.Block}, {@link org.bitcoincommons.sv2.bitcoin.ByteCursor} (bounded
 *       reader), {@link org.bitcoincommons.sv2.bitcoin.CompactSize}; errors are
 *       {@link org.bitcoincommons.sv2.bitcoin.MalformedDataException}.</li>
 *   <li>Coinbase: {@link org.bitcoincommons.sv2.bitcoin.CoinbaseBuilder} →
 *       {@link org.bitcoincommons.sv2.bitcoin.Coinbase} (SV2 prefix/suffix in legacy and witness form),
 *       {@link org.bitcoincommons.sv2.bitcoin.CoinbaseStripper}, {@link org.bitcoincommons.sv2.bitcoin.Bip34Height},
 *       {@link org.bitcoincommons.sv2.bitcoin.BlockSubsidy}.</li>
 *   <li>Payout addresses: {@link org.bitcoincommons.sv2.bitcoin.AddressCodec},
 *       {@link org.bitcoincommons.sv2.bitcoin.SegwitAddress}, {@link org.bitcoincommons.sv2.bitcoin.Bech32},
 *       {@link org.bitcoincommons.sv2.bitcoin.Network}.</li>
 * </ul>
 */
package org.bitcoincommons.sv2.bitcoin;
