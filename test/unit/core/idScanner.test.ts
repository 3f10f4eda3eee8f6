import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIdDetector, createIdScanner, detectInText, idsByKind, type LineSource } from '../../../src/core/idDetection';
import { classifyProse, createKeyClassifier, nameWords } from '../../../src/core/idKeys';

// The structure-reading rules one by one: key classes, each format, and the state carried across lines.

const ID = '9e107d9d372bb6826bd81d3542a419d6';
const H = 'd41d8cd98f00b204e9800998ecf8427e';

/** `[id-prefix, kind]` per value found in `text`, read line by line by one scanner. */
function scan(text: string): string[] {
  const scanner = createIdScanner();
  return text.split('\n').flatMap((l) => scanner.line(l).map((d) => `${d.id.slice(0, 4)}:${d.kind}`));
}
const CLICK = `${ID.slice(0, 4)}:click`;
const CAND = `${ID.slice(0, 4)}:candidate`;
const HASH_CAND = `${H.slice(0, 4)}:candidate`;

describe('key classes', () => {
  const keys = createKeyClassifier();

  it('normalises case, separators and camelCase to words', () => {
    assert.deepEqual(nameWords('X-Request-Id'), ['x', 'request', 'id']);
    assert.deepEqual(nameWords('googleAdIdMd5'), ['google', 'ad', 'id', 'md5']);
    assert.deepEqual(nameWords('ETag'), ['e', 'tag']);
    assert.deepEqual(nameWords('device.idfa_md5'), ['device', 'idfa', 'md5']);
  });

  for (const k of ['transaction_id', 'tid', 'TID', 'click_id', 'clickid', 'ClickID', 'ef_click', 'aff_click_id', 'ef_transaction_id', '_ef_transaction_id', 'txn_id', 'X-Transaction-Id', 'partnerClickId', 'clickTxn', 'transaction']) {
    it(`takes ${k} for a click-id key`, () => assert.equal(keys.classify(k), 'click'));
  }
  for (const k of ['etag', 'ETag', 'checksum', 'fileChecksum', 'digest', 'bodyDigest', 'hash', 'content_hash', 'md5', 'Content-MD5', 'sha256', 'fingerprint', 'nonce', 'oauth_nonce', 'csrf', 'X-CSRF-Token', 'signature', 'sig', 'token', 'session_id', 'Idempotency-Key', 'cache_key', 'trace_id', 'traceId', 'span_id', 'request_id', 'X-Request-Id', 'correlation_id', 'If-None-Match', 'click_id_md5', 'transaction_signature']) {
    it(`takes ${k} for a hash-like key`, () => assert.equal(keys.classify(k), 'hash'));
  }
  for (const k of ['id', 'ref', 'order_id', 'user', 'device_uuid', 'click_url']) {
    it(`takes ${k} for no evidence`, () => assert.equal(keys.classify(k), 'unknown'));
  }
  it('takes value-like names for generic, so the name is looked for elsewhere', () => {
    for (const k of ['value', 'Value', 'val', 'data', 'text']) assert.equal(keys.classify(k), 'generic', k);
  });

  it('reads prose nearest word first', () => {
    assert.equal(classifyProse(['request', 'hash', 'was']), 'hash');
    assert.equal(classifyProse(['the', 'md5', 'of', 'the', 'file', 'is']), 'hash');
    assert.equal(classifyProse(['checksum', 'ok', 'for', 'click']), 'click');
    assert.equal(classifyProse(['request', 'id']), 'hash');
    assert.equal(classifyProse(['customer', 'request', 'about']), undefined);
    assert.equal(classifyProse(['Transaction', 'ID']), 'click');
  });
});

describe('formats on one line', () => {
  for (const [what, line, want] of [
    ['logfmt', `ts=1 tid=${ID} payload_md5=${H} ref=${H}`, [CLICK, HASH_CAND]],
    ['query string', `GET /c?aff_click_id=${ID}&oauth_nonce=${H}`, [CLICK]],
    ['form body', `nonce=${H}&email=a%40b.io&txn_id=${ID}`, [CLICK]],
    ['HTTP headers', `X-Request-Id: ${H}`, []],
    ['HTTP header with quotes', `ETag: "${H}"`, []],
    ['a click header', `X-Ef-Click-Id: ${ID}`, [CLICK]],
    ['syslog structured data', `<134>1 2026-11-30T07:00:00Z h app 1 ID [meta digest="${H}"][attr clickTxn="${ID}"]`, [CLICK]],
    ['key blank quoted value', `etag "${H}" tid "${ID}"`, [CLICK]],
    ['key => value', `txn => '${ID}', fingerprint => '${H}'`, [CLICK]],
    ['YAML key: value', `content_hash: ${H}`, []],
    ['JSON', `{"clickId":"${ID}","bodyDigest":"${H}"}`, [CLICK]],
    ['escaped JSON', `{"log":"{\\"transactionId\\":\\"${ID}\\",\\"sha1\\":\\"${H}\\"}"}`, [CLICK]],
    ['HAR-like name/value pairs', `[{"name":"ETag","value":"${H}"},{"name":"ef_click","value":"${ID}"}]`, [CLICK]],
    ['key/value pairs', `{"key":"tid","value":"${ID}"} {"key":"checksum","value":"${H}"}`, [CLICK]],
    ['a type beside a value', `{"type":"md5","value":"${H}"}`, []],
    ['a value in a named object', `{"digest":{"value":"${H}"}}`, []],
    ['XML element text with a Name', `<Data Name="Checksum">${H}</Data><Data Name="TransactionId">${ID}</Data>`, [CLICK]],
    ['XML element text', `<FileHash>${H}</FileHash><ClickId>${ID}</ClickId>`, [CLICK]],
    ['XML attributes', `<param name="etag" value="${H}"/><param name="tid" value="${ID}"/>`, [CLICK]],
    ['prose with a hash phrase', `the request hash was ${H} and the sha1 of the zip is ${H}`, []],
    ['prose with a click phrase', `Transaction ID: ${ID}, and click ${ID}`, [CLICK, CLICK]],
    ['prose stopping at a k=v', `event=click ref=${ID}`, [CAND]],
    ['md5sum output', `${H}  releases/app-1.2.tar.gz`, []],
    ['sha*sum binary mode, upper case', `${H.toUpperCase()} *dist/app.zip`, []],
    ['an id in a URL path, upper case', `GET /api/v2/clicks/${ID.toUpperCase()} 200`, [CAND]],
  ] as const) {
    it(what, () => assert.deepEqual(scan(line), want, line));
  }
});

describe('state across lines', () => {
  it('takes a CSV header as the key of each column, and drops it when the rows end', () => {
    const text = [`date,partnerClickId,fileChecksum,notes`, `2026-11-30,${ID},${H},"see ${H}"`, '', `${ID}`].join('\n');
    assert.deepEqual(scan(text), [CLICK, HASH_CAND, CAND]);
  });

  it('reads TSV and a name/value export', () => {
    assert.deepEqual(scan(`tid\trowDigest\n${ID}\t${H}`), [CLICK]);
    assert.deepEqual(scan(`name,value\netag,${H}\ntid,${ID}`), [CLICK]);
  });

  it('reads a Markdown table past its rule line', () => {
    assert.deepEqual(scan(`| tid | payload checksum |\n|-----|-----|\n| ${ID} | ${H} |`), [CLICK]);
  });

  it('does not take a data row for a header', () => {
    assert.deepEqual(scan(`tid,status\n${ID},ok\nfoo,bar\n${ID},ok`), [CLICK, CLICK]);
  });

  it('pairs a pretty-printed "name" with the "value" below it', () => {
    const har = ['{', '  "name": "X-Checksum-Md5",', `  "value": "${H}"`, '},', '{', '  "name": "_ef_transaction_id",', `  "value": "${ID}"`, '}', '{', `  "value": "${ID}"`, '}'];
    assert.deepEqual(scan(har.join('\n')), [CLICK, CAND]);
  });

  it('pairs YAML name/value list items', () => {
    assert.deepEqual(scan(`headers:\n  - name: ETag\n    value: ${H}\n  - name: tid\n    value: ${ID}`), [CLICK]);
  });

  it('takes the YAML block a value is in', () => {
    const yaml = ['integrity:', '  algorithm: sha1', `  value: ${H}`, 'checksums:', `  - ${H}`, `- ${H}`, 'click:', `  id: "${ID}"`, `other: ${ID}`];
    assert.deepEqual(scan(yaml.join('\n')), [CLICK, CAND]);
  });

  it('takes the XML element a value line is in', () => {
    assert.deepEqual(scan(`<Checksum>\n  ${H}\n</Checksum>\n<ClickId>\n  ${ID}\n</ClickId>\n  ${ID}`), [CLICK, CAND]);
  });

  it('takes the JSON object a pretty-printed value is in', () => {
    assert.deepEqual(scan(`{\n  "digest": {\n    "value": "${H}"\n  },\n  "value": "${ID}"\n}`), [CAND]);
  });

  it('gives detectInText the same answers as the scanner', () => {
    const text = `tid,sha\n${ID},${H}\n{\n  "name": "nonce",\n  "value": "${H}"\n}`;
    const found = detectInText(text, createIdDetector());
    assert.deepEqual(found, [{ line: 1, id: ID, start: 0, end: 32, kind: 'click' }]);
  });

  it('splits distinct ids by kind, a click anywhere making a click everywhere', () => {
    const found = detectInText(`ref=${ID}\ntid=${ID}\nref=${H}`, createIdDetector());
    assert.deepEqual(idsByKind(found), { clicks: [ID], candidates: [H] });
  });
});

describe('idAtInDocument', () => {
  const doc = (lines: string[]): LineSource => ({ lineCount: lines.length, lineAt: (n) => lines[n] });
  const d = createIdDetector();

  it('sees a CSV header on line 0 from far below', () => {
    const lines = ['clickId,fileHash', ...Array.from({ length: 5000 }, () => `${ID},${H}`)];
    assert.deepEqual(d.idAtInDocument(doc(lines), 4000, 3), { id: ID, start: 0, end: 32, kind: 'click' });
    assert.equal(d.idAtInDocument(doc(lines), 4000, 40), undefined);
    // Without line 0, the same row says nothing: a candidate, and the hash too.
    assert.equal(d.idAt(lines[4000], 40)?.kind, 'candidate');
  });

  it('sees a "name" on the line above', () => {
    const lines = ['[', '  {', '    "name": "ETag",', `    "value": "${H}"`, '  },', '  {', '    "name": "tid",', `    "value": "${ID}"`, '  }', ']'];
    assert.equal(d.idAtInDocument(doc(lines), 3, 16), undefined);
    assert.deepEqual(d.idAtInDocument(doc(lines), 7, 16), { id: ID, start: 14, end: 46, kind: 'click' });
    assert.equal(d.idAtInDocument(doc(lines), 99, 0), undefined);
  });

  it('answers fast on a 50 MB document, at its end', () => {
    const row = `2026-11-30T07:00:00Z,${'x'.repeat(40)},${ID},${H}`;
    const count = Math.ceil(50_000_000 / (row.length + 1));
    const lines = ['ts,note,transaction_id,payload_sha1'];
    for (let i = 0; i < count; i++) lines.push(row);
    const source = doc(lines);
    const at = lines.length - 1;
    const t0 = performance.now();
    assert.equal(source.lineAt(at).slice(62, 94), ID);
    for (let i = 0; i < 100; i++) assert.equal(d.idAtInDocument(source, at, 70)?.kind, 'click');
    const perCall = (performance.now() - t0) / 100;
    console.log(`idAtInDocument on a ${lines.length.toLocaleString('en-US')}-line (50 MB) document: ${perCall.toFixed(3)} ms per hover`);
    assert.ok(perCall < 5, `${perCall.toFixed(2)} ms per hover`);
  });
});
