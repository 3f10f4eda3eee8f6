import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_ID_PATTERN,
  createIdDetector,
  detectInText,
  uniqueIds,
  type IdDetector,
} from '../../../src/core/idDetection';

// Rules one by one, then the detector measured on the labelled corpus in test/fixtures/logs
// (written by its generate.mjs; see there for what is planted and why).

const ID = '9e107d9d372bb6826bd81d3542a419d6';
const ID2 = '0cc175b9c0f1b6a831c399e269772661';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

const detector = createIdDetector();

/** The ids found in `line`, for compact assertions. */
function ids(line: string, d: IdDetector = detector): string[] {
  return d.detectInLine(line).map((x) => x.id);
}

describe('whole tokens', () => {
  it('finds an id alone, with offsets, lower-cased', () => {
    assert.deepEqual(detector.detectInLine(`click ${ID.toUpperCase()} failed`), [{ id: ID, start: 6, end: 38, kind: 'click' }]);
    assert.deepEqual(detector.detectInLine(`ref ${ID.toUpperCase()} failed`), [{ id: ID, start: 4, end: 36, kind: 'candidate' }]);
  });

  for (const [what, line] of [
    ['31 hex', ID.slice(1)],
    ['33 hex', `${ID}a`],
    ['a 40-hex git sha', `commit ${ID}deadbeef`],
    ['a 64-hex sha256', `sha256:${ID}${ID}`],
    ['a run glued to letters', `x${ID}`],
    ['a run glued to an underscore', `click_${ID}`],
    ['a run followed by an underscore', `${ID}_v2`],
    ['a dashed UUID', 'request 1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
  ] as const) {
    it(`skips ${what}`, () => assert.deepEqual(ids(line), []));
  }

  it('accepts punctuation on either side', () => {
    for (const line of [`/clicks/${ID}`, `(${ID})`, `${ID}.`, `[${ID}]`, `${ID}-${ID2}`, `'${ID}',`, `\t${ID}\r`]) {
      assert.equal(ids(line).length >= 1, true, line);
    }
  });

  it('takes a %XX escape as an edge, in encoded URLs', () => {
    assert.deepEqual(ids(`u=https%3A%2F%2Flp.example%2F%3Ftid%3D${ID}%26sub1%3Dfb`), [ID]);
    assert.deepEqual(ids(`u=%2Fclicks%2F${ID}`), [ID]);
  });
});

describe('hash-field context', () => {
  for (const [shape, line] of [
    ['JSON', `{"idfa_md5": "${MD5}"}`],
    ['compact JSON', `{"google_ad_id_md5":"${MD5}"}`],
    ['escaped JSON in a string', `{"body":"{\\"idfa_md5\\":\\"${MD5}\\"}"}`],
    ['camelCase JSON', `{"googleAdIdMd5":"${MD5}"}`],
    ['upper-case key', `GOOGLE_AD_ID_MD5=${MD5}`],
    ['key=value', `android_id_md5=${MD5} dur=3ms`],
    ['key = value', `android_id_md5 = ${MD5}`],
    ['key: value', `idfa_md5: ${MD5}`],
    ['single-quoted', `'idfa_sha1' => '${MD5}'`],
    ['query string', `GET /x?a=1&idfa_md5=${MD5}&b=2`],
    ['encoded query string', `r=%3Fa%3D1%26idfa_md5%3D${MD5}`],
    ['encoded query string, exact name', `r=%3Fa%3D1%26checksum%3D${MD5}`],
    ['header with quotes', `ETag: "${MD5}"`],
    ['JSON etag with escaped quotes', `"etag":"\\"${MD5}\\""`],
    ['checksum', `checksum=${MD5}`],
    ['BSD checksum line', `MD5 (dist/app-1.2.tar.gz) = ${MD5}`],
    ['a hash word in prose', `screenshot.png (md5 ${MD5})`],
    ['a dotted key', `device.idfa_md5=${MD5}`],
    ['wildcard *_md5', `session_md5=${MD5}`],
    ['wildcard *_hash', `"file_hash":"${MD5}"`],
    ['wildcard *_sha1', `gaid_sha1: ${MD5}`],
  ] as const) {
    it(`skips a hash value: ${shape}`, () => assert.deepEqual(ids(line), [], line));
  }

  for (const key of ['trace_id', 'traceId', 'span_id', 'request_id', 'requestId', 'req_id', 'correlation_id', 'x_request_id', 'sig', 'signature']) {
    it(`skips a tracing id or signature: ${key}`, () => {
      assert.deepEqual(ids(`${key}=${MD5}`), [], key);
      assert.deepEqual(ids(`{"${key}":"${MD5}"}`), [], key);
    });
  }

  it('keeps the click id next to hash fields in the same row', () => {
    const url = `/sdk?click_id=${ID}&idfa_md5=${MD5}&gaid_md5=${ID2}`;
    assert.deepEqual(ids(url), [ID]);
    const json = `{"transaction_id":"${ID}","idfa_md5":"${MD5}","google_ad_id_md5":"","android_id_md5":"${ID2}"}`;
    assert.deepEqual(ids(json), [ID]);
  });

  it('takes any name containing a hash-like word', () => {
    for (const key of ['rehash', 're_hash', 'contentHash', 'X-Body-Sha1', 'bodyDigest', 'Idempotency-Key', 'csrf_token', 'sessionId', 'cache_key']) {
      assert.deepEqual(ids(`${key}=${ID}`), [], key);
    }
  });

  it('counts values with an unknown key or none', () => {
    for (const line of [`id=${ID}`, `ref ${ID}`, `Transaction ID: ${ID}`, `GET /api/clicks/${ID} 404`, `${ID}`]) {
      assert.deepEqual(ids(line), [ID], line);
    }
  });

  it('reports a bare value with no key as a candidate, but md5sum output not at all', () => {
    assert.deepEqual(detector.detectInLine(`file.tar.gz ${MD5}`), [{ id: MD5, start: 12, end: 44, kind: 'candidate' }]);
    assert.deepEqual(ids(`${MD5}  dist/file.tar.gz`), []);
    assert.deepEqual(ids(`${MD5.toUpperCase()} *dist/file.zip`), []);
  });

  it('reads a quoted hash word right before a value as prose', () => {
    assert.deepEqual(ids(`"md5" ${ID}`), []);
  });
});

describe('configured field names', () => {
  it('adds names to the built-in hash-like words', () => {
    const d = createIdDetector({ hashFieldNames: ['order_ref', '*_blob'] });
    assert.deepEqual(ids(`idfa_md5=${ID} order_ref=${ID2} image_blob=${ID2} other=${ID}`, d), [ID]);
    assert.deepEqual(ids(`order_ref=${ID2}`), [ID2]);
  });

  it('never lets a hash-field name hide a click-id key', () => {
    const d = createIdDetector({ hashFieldNames: ['*_id', 'tid', 'clickid', 'transaction_id'] });
    for (const key of ['transaction_id', 'tid', 'click_id', 'clickid', 'ef_transaction_id', '_ef_transaction_id', 'transactionId']) {
      assert.deepEqual(ids(`${key}=${ID}`, d), [ID], key);
    }
    assert.deepEqual(ids(`other_id=${ID}`, d), []);
  });

  it('ignores blank names', () => {
    const d = createIdDetector({ hashFieldNames: ['', '  ', '*', '*_'] });
    assert.deepEqual(ids(`x=${ID}`, d), [ID]);
  });
});

describe('the pattern', () => {
  it('uses the default without complaint', () => {
    assert.equal(createIdDetector().error, undefined);
    assert.equal(createIdDetector({ pattern: DEFAULT_ID_PATTERN }).error, undefined);
  });

  it('uses a configured pattern, still as whole tokens', () => {
    const d = createIdDetector({ pattern: '[0-9a-f]{32}|EF-[0-9A-Z]{8}' });
    assert.equal(d.error, undefined);
    assert.deepEqual(ids(`a ${ID.toUpperCase()} b EF-AB12CD34 c xEF-AB12CD34`, d), ['ef-ab12cd34']);
  });

  for (const [what, pattern, why] of [
    ['invalid', '([0-9a-f]{32}', /not a valid regular expression.*Unterminated group/],
    ['empty', '', /is empty/],
    ['empty-matching', '[0-9a-f]*', /can match empty text/],
    ['optional', '(?:[0-9a-f]{32})?', /can match empty text/],
    ['lookahead only', '(?=[0-9a-f])', /can match empty text/],
  ] as const) {
    it(`falls back to the default when the pattern is ${what}`, () => {
      const d = createIdDetector({ pattern });
      assert.match(d.error ?? '', why);
      assert.match(d.error ?? '', /default pattern/);
      assert.deepEqual(ids(`x ${ID} y`, d), [ID]);
    });
  }
});

describe('idAt', () => {
  const line = `tid=${ID} idfa_md5=${MD5} ${ID2}`;

  it('finds the id under the character, end inclusive', () => {
    assert.equal(detector.idAt(line, 4)?.id, ID);
    assert.equal(detector.idAt(line, 20)?.id, ID);
    assert.equal(detector.idAt(line, 36)?.id, ID);
    assert.deepEqual(detector.idAt(line, line.length), { id: ID2, start: line.length - 32, end: line.length, kind: 'candidate' });
  });

  it('finds nothing on a key, on a hash value, or off the line', () => {
    assert.equal(detector.idAt(line, 1), undefined);
    assert.equal(detector.idAt(line, 60), undefined);
    assert.equal(detector.idAt(line, -1), undefined);
    assert.equal(detector.idAt(line, line.length + 1), undefined);
  });

  it('reads only a window of a very long line, and fast', () => {
    const pad = 'x,'.repeat(500_000);
    const long = `${pad}"transaction_id":"${ID}",${pad}`;
    const at = pad.length + 20;
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) assert.equal(detector.idAt(long, at)?.id, ID);
    const perCall = (performance.now() - t0) / 100;
    assert.ok(perCall < 5, `idAt took ${perCall.toFixed(2)} ms per call on a 2 MB line`);
    // The key in front is still read from the real line, not the window.
    const hashed = `${pad}"idfa_md5":"${MD5}",${pad}`;
    assert.equal(detector.idAt(hashed, at), undefined);
  });

  it('finds an id at either end of the hover on a long line', () => {
    const pad = ' '.repeat(20_000);
    const long = `${pad}${ID} x=${'y'.repeat(600)}${pad}`;
    assert.equal(detector.idAt(long, pad.length)?.id, ID);
    assert.equal(detector.idAt(long, pad.length + 32)?.id, ID);
    assert.equal(detector.idAt(long, pad.length + 33), undefined);
  });

  it('reads a hex run longer than the window as one token, not an id', () => {
    const run = 'a'.repeat(30_000);
    assert.equal(detector.idAt(run, 15_000), undefined);
    assert.equal(detector.idAt(`x ${run}`, 2), undefined);
  });
});

describe('speed', () => {
  it('scans pathological lines in linear time', () => {
    const lines = [
      'a'.repeat(1_000_000),
      'f'.repeat(1_000_000),
      `${'="'.repeat(200_000)}${ID}`,
      `${'%3D'.repeat(200_000)}${ID}`,
      `${ID} `.repeat(20_000),
    ];
    for (const l of lines) {
      const t0 = performance.now();
      detector.detectInLine(l);
      const ms = performance.now() - t0;
      assert.ok(ms < 500, `${ms.toFixed(0)} ms on ${JSON.stringify(l.slice(0, 12))}…`);
    }
  });
});

describe('detectInText and uniqueIds', () => {
  it('numbers lines across \\n, \\r\\n and \\r', () => {
    const found = detectInText(`a\n${ID}\r\nx=${ID2}\rtid=${ID}\n`, detector);
    assert.deepEqual(found, [
      { line: 1, id: ID, start: 0, end: 32, kind: 'candidate' },
      { line: 2, id: ID2, start: 2, end: 34, kind: 'candidate' },
      { line: 3, id: ID, start: 4, end: 36, kind: 'click' },
    ]);
    assert.deepEqual(uniqueIds(found), [ID, ID2]);
  });
});

// ---- the corpus -----------------------------------------------------------------------------------

interface Labels {
  file: string;
  kind: string;
  clickIds: { line: number; start: number }[];
  decoys: { line: number; start: number; kind: string }[];
}

const CORPUS = join(__dirname, '..', '..', 'fixtures', 'logs');

/** Decoys that carry no hash-field key the detector could read: the only acceptable false alarms. */
const UNKEYED = new Set([
  'md5sum_bare',
  'bare_checksum',
  'asset_version',
  'asset_fingerprint',
  'order_hash',
  'ticket_hash',
]);

function loadCorpus(): { labels: Labels; text: string }[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.labels.json'))
    .sort()
    .map((f) => {
      const labels = JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as Labels;
      return { labels, text: readFileSync(join(CORPUS, labels.file), 'utf8') };
    });
}

describe('the labelled corpus', () => {
  const corpus = loadCorpus();

  it('is big enough to mean something, and its labels point at 32-hex ids', () => {
    let lines = 0;
    let truth = 0;
    let decoys = 0;
    for (const { labels, text } of corpus) {
      const rows = text.split('\n');
      lines += rows.length - 1;
      truth += labels.clickIds.length;
      decoys += labels.decoys.length;
      for (const { line, start } of labels.clickIds) {
        assert.match(rows[line].slice(start, start + 32), /^[0-9a-fA-F]{32}$/, `${labels.file}:${line}:${start}`);
      }
    }
    assert.ok(corpus.length >= 8 && lines >= 300 && truth >= 300 && decoys >= 200, `${lines} lines, ${truth} ids, ${decoys} decoys`);
  });

  // Figures for every corpus are in idDetectionCorpus.test.ts; here, what kind of value each mistake is.
  it('calls no decoy a click, and reports as candidates only values nothing names', () => {
    for (const { labels, text } of corpus) {
      const decoyKind = new Map(labels.decoys.map((d) => [`${d.line}:${d.start}`, d.kind]));
      const truth = new Set(labels.clickIds.map((p) => `${p.line}:${p.start}`));
      for (const d of detectInText(text, detector)) {
        const key = `${d.line}:${d.start}`;
        if (truth.has(key)) continue;
        const kind = decoyKind.get(key) ?? 'unlabelled';
        assert.equal(d.kind, 'candidate', `${labels.file}:${key} ${kind} taken for a click`);
        assert.ok(UNKEYED.has(kind), `${labels.file}:${key} false alarm on ${kind}`);
      }
    }
  });
});

