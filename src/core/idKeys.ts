// What a field name, or a few words of prose, say about the 32-hex value they belong to.
//
// A click id and an md5 look the same, so the name is the only evidence. Names are compared in one
// normal form (`X-Request-Id`, `xRequestId` and `x_request_id` are all `x request id`), and a name
// is judged by the words in it, because the corpora a user brings use names no list foresees:
// `content_hash`, `bodyDigest`, `Idempotency-Key`. A click-id name must say so; a hash-like word
// anywhere rules a value out; everything else is no evidence either way.

export type KeyClass = 'click' | 'hash' | 'generic' | 'unknown';

/** Names that are a click id whatever else a user configures. Compared in compact form. */
const CLICK_EXACT = new Set([
  'transactionid',
  'tid',
  'clickid',
  'efclick',
  'efclickid',
  'affclickid',
  'eftransactionid',
  'efftid',
  'eftid',
  'txnid',
  'transid',
  'trxid',
]);

/** Words of a name that make its value a click id when an id word (`id`, `ids`) comes with them. */
const CLICK_WORDS = new Set(['transaction', 'transactions', 'txn', 'click', 'clicks', 'clk', 'trx']);
/** Alone, these name the click itself (`transaction: <id>`), so they count too. */
const CLICK_ALONE = new Set(['transaction', 'txn', 'click', 'clickid', 'transactionid', 'tid']);

/** Any of these words in a name makes its value not a click id. */
const HASH_WORDS = new Set([
  'etag',
  'checksum',
  'checksums',
  'digest',
  'digests',
  'hash',
  'hashes',
  'hashed',
  'md5',
  'md5sum',
  'sha',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha3',
  'crc',
  'crc32',
  'fingerprint',
  'fingerprints',
  'nonce',
  'csrf',
  'xsrf',
  'signature',
  'signatures',
  'sig',
  'sign',
  'signed',
  'hmac',
  'token',
  'tokens',
  'session',
  'sessions',
  'sess',
  'sid',
  'idempotency',
  'cache',
  'trace',
  'traceparent',
  'tracestate',
  'span',
  'request',
  'req',
  'correlation',
  'integrity',
  'salt',
  'secret',
  'password',
  'apikey',
  'commit',
  'revision',
  'checksumsha',
  'mac',
]);

/** Stems found inside a compact name (`contenthash`, `xrequestid`), where words run together. */
const HASH_STEMS = [
  'hash',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'checksum',
  'digest',
  'etag',
  'fingerprint',
  'nonce',
  'csrf',
  'xsrf',
  'signature',
  'idempotency',
  'correlation',
  'hmac',
  'traceparent',
  'traceid',
  'spanid',
  'requestid',
  'sessionid',
  'apikey',
  'cachekey',
  // HTTP conditional headers carry ETags.
  'ifnonematch',
  'ifmatch',
];

/** Names that hold a value whose name is written elsewhere: `{"name": "ETag", "value": "…"}`. */
const GENERIC = new Set(['value', 'values', 'val', 'v', 'data', 'text', 'string', 'str', 'content', 'body', 'field', 'result', 'output', 'hex']);

/** Prose words that name a hash; narrower than HASH_WORDS, since prose says "request" and "session" freely. */
const PROSE_HASH = new Set([
  'hash',
  'hashes',
  'hashed',
  'checksum',
  'checksums',
  'digest',
  'md5',
  'md5sum',
  'sha',
  'sha1',
  'sha256',
  'sha512',
  'etag',
  'fingerprint',
  'nonce',
  'signature',
  'hmac',
  'crc',
  'crc32',
  'sha1sum',
  'sha256sum',
]);
/** In prose these are hash-like only as "<word> id": a request id, a trace id. */
const PROSE_HASH_BEFORE_ID = new Set(['request', 'trace', 'span', 'session', 'correlation', 'req']);
const PROSE_CLICK = new Set(['transaction', 'transactions', 'txn', 'click', 'clicks', 'clickid', 'tid', 'transactionid']);

/** `googleAdIdMd5`, `X-Request-Id`, `GOOGLE_AD_ID_MD5` → their lower-case words. */
export function nameWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

export interface KeyClassifier {
  classify(key: string | undefined): KeyClass;
}

/**
 * `extraHashNames` are the user's: exact names, or `*suffix` for any name ending in that word.
 * They add to the built-in words and never outrank an exact click-id name.
 */
export function createKeyClassifier(extraHashNames: readonly string[] = []): KeyClassifier {
  const extraExact = new Set<string>();
  const extraSuffixes: string[] = [];
  for (const raw of extraHashNames) {
    const name = raw.trim();
    const words = nameWords(name.startsWith('*') ? name.slice(1) : name);
    if (words.length === 0) continue;
    if (name.startsWith('*')) extraSuffixes.push(words.join(' '));
    else extraExact.add(words.join(''));
  }
  const cache = new Map<string, KeyClass>();
  const decide = (key: string): KeyClass => {
    const words = nameWords(key);
    if (words.length === 0) return 'unknown';
    const compact = words.join('');
    if (CLICK_EXACT.has(compact)) return 'click';
    if (extraExact.has(compact)) return 'hash';
    const spaced = words.join(' ');
    if (extraSuffixes.some((s) => spaced === s || spaced.endsWith(` ${s}`))) return 'hash';
    if (words.some((w) => HASH_WORDS.has(w)) || HASH_STEMS.some((s) => compact.includes(s))) return 'hash';
    if (words.length >= 2 && words[words.length - 1] === 'key' && (words.includes('api') || words.includes('cache'))) return 'hash';
    const hasIdWord = words.some((w) => w === 'id' || w === 'ids' || w === 'uid');
    const clickWords = words.filter((w) => CLICK_WORDS.has(w)).length;
    // `clickTxn`, `click_transaction`: two click words name the click's id as plainly as `click_id`.
    if (clickWords > 0 && (hasIdWord || clickWords > 1)) return 'click';
    if (compact.endsWith('clickid') || compact.endsWith('transactionid') || compact.endsWith('txnid')) return 'click';
    if (words.length === 1 && CLICK_ALONE.has(compact)) return 'click';
    if (words.length === 1 && GENERIC.has(compact)) return 'generic';
    return 'unknown';
  };
  return {
    classify(key) {
      if (key === undefined || key === '') return 'unknown';
      let c = cache.get(key);
      if (c === undefined) {
        c = decide(key);
        if (cache.size > 4096) cache.clear();
        cache.set(key, c);
      }
      return c;
    },
  };
}

/**
 * What the words right before a value say, nearest first: "request hash was …" → hash,
 * "Transaction ID: …" → click. `words` are in reading order; only the last few are read.
 */
export function classifyProse(words: readonly string[]): 'click' | 'hash' | undefined {
  const lower = words.map((w) => w.toLowerCase());
  for (let i = lower.length - 1; i >= 0 && i >= lower.length - 5; i--) {
    const w = lower[i];
    if (PROSE_HASH.has(w)) return 'hash';
    if (PROSE_HASH_BEFORE_ID.has(w) && lower[i + 1] === 'id') return 'hash';
    if (PROSE_CLICK.has(w)) return 'click';
  }
  return undefined;
}
