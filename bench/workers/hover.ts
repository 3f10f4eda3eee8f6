// Section 4 of `npm run bench`: what a hover over a transaction id costs.
//
//   node out/bench/hover.cjs <clicks-5000.json> <runs> [clickCard.cjs]
//
// A cached hover is the provider's path for an id already looked up (ClickHoverProvider.cardFor):
// find the id under the pointer, read the cache, build the card's markdown. The provider itself
// needs `vscode`, so its pieces are called here in the same order; wrapping the markdown in a
// vscode.Hover is left out (a constructor call). An uncached hover goes to the sandbox over loopback
// through the real EverflowClient, limiter and LookupCache.
//
// Baselines: for a cached hover, a plain Map read plus the click as pretty JSON (the simplest card
// there is); for an uncached one, a bare fetch + JSON.parse of the same endpoint (the loopback floor).

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CLICK_PATH, EverflowClient } from '../../src/core/client';
import { createIdDetector } from '../../src/core/idDetection';
import { RateLimiter } from '../../src/core/limiter';
import { LookupCache } from '../../src/core/lookupCache';
import { parseStreamResponse } from '../../src/core/parse';
import type { Click } from '../../src/core/types';
import { isTransactionId } from '../../src/core/validation';
import { startSandbox } from '../../test/sandbox/server';
import { NOW } from '../lib/sandboxDay';
import { summarise } from '../lib/stats';

type CardBuilder = (click: Click, opts: { timeZone?: string; links?: { label: string; command: string; args?: unknown[]; tooltip?: string }[] }) => string;

/** Calls per timed run of the cached path: one call is a few microseconds, below a single timer's noise. */
const CALLS = 400;
/** Uncached look-ups are spaced wider than the 5/s limiter, so the figure is the request, not the queue. */
const SPACING_MS = 250;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The card's links as the provider adds them (their text counts towards the markdown it builds). */
function links(id: string): { label: string; command: string; args: unknown[]; tooltip: string }[] {
  return ['Open as JSON', 'Open in Grid', 'Copy ID', 'Copy Row as JSON'].map((label, i) => ({
    label,
    command: ['everflow.openClickAsJson', 'everflow.openClickInGrid', 'everflow.copyTransactionId', 'everflow.copyClickJson'][i],
    args: [id],
    tooltip: label,
  }));
}

/** A log line with the id where people find them: after other ids, hashes and a URL. */
function logLine(id: string): string {
  return `2026-03-14 10:22:31.481 INFO  [postback-7] offer=883 aff=7 idfa_md5=0cc175b9c0f1b6a831c399e269772661 url=https://trk.example.test/c?oid=883 transaction_id=${id} status=ok`;
}

async function main(): Promise<void> {
  const [file, runsArg, cardFile] = process.argv.slice(2);
  const runs = Math.max(1, Number(runsArg ?? 5));
  const clicks = parseStreamResponse(JSON.parse(readFileSync(file, 'utf8')), Infinity).rows.slice(0, 500);
  const buildCard = cardFile ? ((await import(pathToFileURL(cardFile).href)) as { clickCardMarkdown: CardBuilder }).clickCardMarkdown : undefined;

  // ---- cached ------------------------------------------------------------------------------------
  const cache = new LookupCache<Click>({ max: 500, ttlMs: 30 * 60_000, negativeTtlMs: 5 * 60_000 });
  for (const c of clicks) await cache.getOrFetch(c.transaction_id, async () => c);
  const plain = new Map(clicks.map((c) => [c.transaction_id, c]));
  const detector = createIdDetector();
  const lines = clicks.map((c) => logLine(c.transaction_id));
  const pointerAt = (line: string): number => line.indexOf('transaction_id=') + 20;

  const perCall = { provider: [] as number[], cacheOnly: [] as number[], baseline: [] as number[] };
  let sink = 0;
  for (let run = 0; run <= runs; run++) {
    for (let k = 0; k < CALLS; k++) {
      const line = lines[(run * CALLS + k) % lines.length];
      const t0 = performance.now();
      const found = detector.idAt(line, pointerAt(line));
      const hit = found && isTransactionId(found.id) ? cache.get(found.id) : undefined;
      const t1 = performance.now();
      const md = hit?.state === 'hit' && buildCard ? buildCard(hit.value, { timeZone: 'America/New_York', links: links(hit.value.transaction_id) }) : '';
      const t2 = performance.now();
      const id = line.slice(pointerAt(line) - 5, pointerAt(line) + 27);
      const naive = JSON.stringify(plain.get(id), null, 2);
      const t3 = performance.now();
      sink += md.length + naive.length;
      if (run === 0) continue; // warm-up: the first calls compile the regexes and the card code
      perCall.cacheOnly.push((t1 - t0) * 1000);
      perCall.provider.push((t2 - t0) * 1000);
      perCall.baseline.push((t3 - t2) * 1000);
    }
  }
  if (sink === 0) throw new Error('nothing was built');

  // ---- uncached ----------------------------------------------------------------------------------
  const sandbox = await startSandbox({ seed: 1, now: NOW });
  const uncached: number[] = [];
  const raw: number[] = [];
  try {
    const ids = sandbox.sampleIds(2 * Math.max(runs, 10));
    const client = new EverflowClient({
      baseUrl: () => sandbox.url,
      getApiKey: async () => sandbox.keys.valid,
      limiter: new RateLimiter({ perSecond: 5 }),
    });
    const fresh = new LookupCache<Click>({ max: 500, ttlMs: 30 * 60_000, negativeTtlMs: 5 * 60_000 });
    for (let i = 0; i < ids.length; i += 2) {
      const t0 = performance.now();
      const click = await fresh.getOrFetch(ids[i], (id, signal) => client.getClick(id, { signal, priority: 'interactive' }));
      if (buildCard) buildCard(click, { timeZone: 'America/New_York', links: links(click.transaction_id) });
      uncached.push(performance.now() - t0);
      await sleep(SPACING_MS);
      const r0 = performance.now();
      const res = await fetch(sandbox.url + CLICK_PATH + ids[i + 1], { headers: { 'X-Eflow-API-Key': sandbox.keys.valid } });
      JSON.parse(await res.text());
      raw.push(performance.now() - r0);
      await sleep(SPACING_MS);
    }
  } finally {
    await sandbox.close();
  }

  const us = (v: number[]): ReturnType<typeof summarise> => summarise(v);
  process.stdout.write(
    `${JSON.stringify({
      callsPerRun: CALLS,
      card: buildCard ? 'measured' : 'pending',
      cachedProviderUs: us(perCall.provider),
      cachedLookupOnlyUs: us(perCall.cacheOnly),
      cachedBaselineUs: us(perCall.baseline),
      uncachedMs: summarise(uncached.slice(1)),
      uncachedFirstMs: uncached[0],
      rawGetMs: summarise(raw.slice(1)),
    })}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
