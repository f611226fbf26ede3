'use strict';
// A Stratum V1 miner built on an independent client library, the npm package stratum-client 1.1.0 (installed by
// bin/npm-test-deps into .npm-deps/; NODE_PATH points there). The library connects, subscribes, authorizes and hands
// over each mining.notify; this script rebuilds the header from the notify's fields as ROLES.md A.1 describes them
// (coinbase = coinb1 + extranonce1 + extranonce2 + coinb2, merkle root over the branches, prevhash with each 4-byte
// word byte-swapped, big-endian hex version / nbits / ntime), grinds nonces with Node's own SHA-256 and submits
// through the library until SHARES shares are accepted. It prints one JSON line with what happened and exits 0 when
// the shares were accepted, 1 otherwise (a reject, a close, or the deadline).
//
// usage: node stratum-client-miner.js HOST PORT WORKER SHARES TIMEOUT_MS
const crypto = require('crypto');
const stratum = require('stratum-client');

const [host, portText, worker, sharesText, timeoutText] = process.argv.slice(2);
const port = Number(portText);
const wanted = Number(sharesText || 3);
const timeoutMs = Number(timeoutText || 15000);

const DIFF1 = 0xffffn << 208n;
const SCALE = 10n ** 18n;
const CHUNK = 4000;

const summary = {
  accepted: 0, rejected: 0, rejects: [], submitted: 0, jobs: 0, jobIds: [], difficulties: [],
  extranonce1: null, extranonce2Size: null, authorized: false, closed: false, errors: [], acceptedShares: [],
};
let work = null;     // the job being ground
let en2 = 0;         // extranonce2 counter
let nonce = 0;
let header = null;
let en2Hex = null;
let waiting = false; // a submit awaits its answer
let pendingShare = null;
let done = false;

function sha256d(buf) {
  return crypto.createHash('sha256').update(crypto.createHash('sha256').update(buf).digest()).digest();
}

function u32le(hex) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(parseInt(hex, 16) >>> 0, 0);
  return b;
}

function targetOf(difficulty) {
  // a 0.1% margin, so that a rounding of the pool's never fails a share ground here
  return DIFF1 * SCALE / BigInt(Math.ceil(difficulty * 1.001 * 1e18));
}

function buildHeader(w) {
  en2 += 1;
  en2Hex = en2.toString(16).padStart(2 * w.extraNonce2Size, '0');
  const coinbase = Buffer.from(w.coinb1 + w.extraNonce1 + en2Hex + w.coinb2, 'hex');
  let root = sha256d(coinbase);
  for (const branch of w.merkle_branch) {
    root = sha256d(Buffer.concat([root, Buffer.from(branch, 'hex')]));
  }
  const swapped = Buffer.from(w.prevhash, 'hex');
  const prev = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 4) {
    prev[i] = swapped[i + 3]; prev[i + 1] = swapped[i + 2]; prev[i + 2] = swapped[i + 1]; prev[i + 3] = swapped[i];
  }
  const h = Buffer.concat([u32le(w.version), prev, root, u32le(w.ntime), u32le(w.nbits), Buffer.alloc(4)]);
  if (h.length !== 80) throw new Error('header is ' + h.length + ' bytes');
  return h;
}

function finish(code) {
  if (done) return;
  done = true;
  process.stdout.write(JSON.stringify(summary) + '\n');
  try { handle.shutdown(); } catch (e) { /* closing anyway */ }
  process.exit(code);
}

function grind() {
  if (done || waiting || !work || !summary.authorized) return;
  const target = targetOf(Number(work.miningDiff));
  for (let i = 0; i < CHUNK; i++, nonce++) {
    header.writeUInt32LE(nonce >>> 0, 76);
    const hash = sha256d(header);
    if (hash[31] !== 0) continue;
    const value = BigInt('0x' + Buffer.from(hash).reverse().toString('hex'));
    if (value <= target) {
      const share = {
        worker_name: worker, job_id: work.jobId, extranonce2: en2Hex, ntime: work.ntime,
        nonce: (nonce >>> 0).toString(16).padStart(8, '0'),
      };
      nonce++;
      waiting = true;
      pendingShare = share;
      summary.submitted++;
      handle.submit(share);
      return;
    }
  }
  setImmediate(grind);
}

const handle = stratum({
  server: host,
  port,
  worker,
  password: 'x',
  autoReconnectOnError: false,
  onError: (error) => { summary.errors.push(String(error && error.message)); finish(1); },
  onClose: () => { summary.closed = true; finish(summary.accepted >= wanted ? 0 : 1); },
  onSubscribe: (s) => { summary.extranonce1 = s.extraNonce1; summary.extranonce2Size = s.extraNonce2Size; },
  onAuthorizeSuccess: () => { summary.authorized = true; setImmediate(grind); },
  onAuthorizeFail: (error) => { summary.errors.push('authorize: ' + JSON.stringify(error)); finish(1); },
  onNewDifficulty: (d) => { summary.difficulties.push(d); },
  onNewMiningWork: (w) => {
    summary.jobs++;
    summary.jobIds.push(w.jobId);
    work = w;
    header = buildHeader(w);
    nonce = 0;
    if (!waiting) setImmediate(grind);
  },
  onSubmitWorkSuccess: () => {
    summary.accepted++;
    summary.acceptedShares.push(pendingShare);
    waiting = false;
    if (summary.accepted >= wanted) finish(0); else setImmediate(grind);
  },
  onSubmitWorkFail: (error) => {
    summary.rejected++;
    summary.rejects.push(error);
    finish(1);
  },
});

setTimeout(() => { summary.errors.push('deadline of ' + timeoutMs + ' ms'); finish(1); }, timeoutMs);
