// Section 5 of `npm run bench`: fetch-all against the sandbox over loopback, with the real client
// and the real limiter at 5 requests/s, so the wall time is what a person waits (sandbox time
// included: it builds each 5,000-row response from scratch, as a real server would).
//
//   node out/bench/fetchAll.cjs <seeds,comma-separated> <modes> [--legacy] [--halving]
//
// Each scenario of fetchScenarios.ts (busy day; busy + quiet day; 14 days) in each truncation mode,
// once per seed (a seed is different traffic: other ids, other times). Every request is counted,
// the first capped one included, and the clicks are checked against the sandbox's count. The
// sandbox (its own process, see sandboxHost.ts) enforces 5/s too, so a limiter bug shows up as 429s.
// `--legacy` runs the algorithm before issue #17 (bench/lib/legacyFetchAll.ts) on the same data,
// and `--halving` counts what halving every capped window would send (from the sandbox's exact
// counts: a window is capped when it holds 5,000 or more), without spending minutes on it.

import { fork } from 'node:child_process';
import { join } from 'node:path';
import { EverflowClient } from '../../src/core/client';
import { fetchAll } from '../../src/core/fetchAll';
import { RateLimiter } from '../../src/core/limiter';
import type { StreamRequest } from '../../src/core/types';
import type { CountRequest, Knobs } from '../../test/sandbox/server';
import { legacyFetchAll } from '../lib/legacyFetchAll';
import { FETCH_SCENARIOS } from '../lib/fetchScenarios';

type Mode = 'first' | 'newest' | 'arbitrary' | 'shifting';
const CAP = 5000;

interface SandboxProcess {
  url: string;
  key: string;
  knobs(k: Partial<Knobs>): Promise<number>;
  fresh(): Promise<number>;
  count(req: CountRequest): Promise<number>;
  statuses(since: number): Promise<number[]>;
  close(): void;
}

async function startSandboxProcess(seed: number): Promise<SandboxProcess> {
  const child = fork(join(__dirname, 'sandboxHost.cjs'), [String(seed)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let next = 0;
  const ready = new Promise<{ url: string; key: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
    child.on('message', (m: { ready?: boolean; url: string; key: string; id: number; value: never; error?: string }) => {
      if (m.ready) return resolve(m);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.value);
    });
  });
  const call = <T>(msg: object): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: never) => void, reject });
      child.send({ id, ...msg });
    });
  const { url, key } = await ready;
  return {
    url,
    key,
    knobs: (knobs) => call({ type: 'knobs', knobs }),
    fresh: () => call({ type: 'fresh' }),
    count: (req) => call({ type: 'count', req }),
    statuses: (since) => call({ type: 'statuses', since }),
    close: () => child.disconnect(),
  };
}

function clientFor(sandbox: SandboxProcess, perSecond: number, onAttempt: (ms: number) => void): EverflowClient {
  return new EverflowClient({
    baseUrl: () => sandbox.url,
    getApiKey: async () => sandbox.key,
    limiter: new RateLimiter({ perSecond }),
    log: (e) => onAttempt(e.durationMs),
  });
}

const utc = (sec: number): string => new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
const secOf = (s: string): number => Date.parse(`${s.replace(' ', 'T')}Z`) / 1000;

/** Requests the naive splitter sends: one per window visited, halving each capped one (UTC, whole seconds). */
async function halvingRequests(sandbox: SandboxProcess, req: StreamRequest): Promise<number> {
  const visit = async (from: number, to: number): Promise<number> => {
    const capped = (await sandbox.count({ ...req, from: utc(from), to: utc(to) })) >= CAP;
    if (!capped || from === to) return 1;
    const mid = Math.floor((from + to) / 2);
    return 1 + (await visit(from, mid)) + (await visit(mid + 1, to));
  };
  return visit(secOf(req.from), secOf(req.to));
}

async function main(): Promise<void> {
  const [seedsArg, modesArg] = process.argv.slice(2);
  const seeds = seedsArg.split(',').map(Number);
  const modes = modesArg.split(',') as Mode[];
  const runs: unknown[] = [];
  const baselines: unknown[] = [];
  for (const seed of seeds) {
    const sandbox = await startSandboxProcess(seed);
    try {
      await sandbox.knobs({ rateLimit: { perSecond: 5, enforce: true, headers: true, windowMs: 30_000, perWindow: null, otherClientShare: 0 } });
      for (const s of FETCH_SCENARIOS) {
        await sandbox.knobs({ clicksPerDay: 2000, dayVolumes: {}, ...s.knobs });
        const expected = await sandbox.count(s.req);
        const lowerBound = Math.ceil(expected / CAP);
        for (const mode of modes) {
          await sandbox.knobs({ truncation: mode });
          for (const algorithm of process.argv.includes('--legacy') ? ['new', 'legacy'] : ['new']) {
            const logStart = await sandbox.fresh();
            let httpMs = 0;
            const client = clientFor(sandbox, 5, (ms) => (httpMs += ms));
            const t0 = performance.now();
            const run = algorithm === 'new' ? fetchAll : legacyFetchAll;
            const res = await run(s.req, { stream: (r, signal) => client.streamClicks(r, { signal }), zone: 'UTC', maxRows: 1_000_000 });
            const wallMs = performance.now() - t0;
            const statuses = await sandbox.statuses(logStart);
            runs.push({
              seed,
              scenario: s.name,
              n: expected,
              mode,
              algorithm,
              expected,
              rows: res.rows.length,
              distinct: new Set(res.rows.map((r) => r.transaction_id)).size,
              complete: res.complete,
              requests: res.requests,
              lowerBound,
              wallMs: Math.round(wallMs),
              httpMs,
              rateLimited: statuses.filter((x) => x === 429).length,
            });
          }
        }
        // A baseline, not the figure: counted for the first seed only, to keep the run short.
        if (process.argv.includes('--halving') && seed === seeds[0]) {
          baselines.push({ seed, scenario: s.name, n: expected, method: 'halving', requests: await halvingRequests(sandbox, s.req), lowerBound });
        }
      }
    } finally {
      sandbox.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ runs, baselines })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
