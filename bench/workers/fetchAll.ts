// Section 5 of `npm run bench`: fetch-all against the sandbox over loopback, with the real client
// and the real limiter at 5 requests/s, so the wall time is what a person waits (sandbox time
// included: it builds each 5,000-row response from scratch, as a real server would).
//
//   node out/bench/fetchAll.cjs <seeds,comma-separated> <Ns> <modes> [--halving]
//
// One run per seed: a seed is a different day of traffic (other ids, another daily curve), so the
// runs show how the request count varies with the data, not only how the clock does. The sandbox
// (its own process, see sandboxHost.ts) enforces 5/s too, so a limiter bug shows up as 429s.
// `--halving` adds the baseline a first version would write: halve every capped window until none
// is capped. Its request count is computed from the sandbox's exact counts (a window is capped
// when it holds 5,000 or more), which is the count it would send, without spending a minute on it.

import { fork } from 'node:child_process';
import { join } from 'node:path';
import { EverflowClient } from '../../src/core/client';
import { fetchAll } from '../../src/core/fetchAll';
import { RateLimiter } from '../../src/core/limiter';
import type { StreamRequest } from '../../src/core/types';
import type { CountRequest, Knobs } from '../../test/sandbox/server';
import { DAY, dayRequest } from '../lib/sandboxDay';

type Mode = 'first' | 'newest' | 'arbitrary';
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
  const [seedsArg, nsArg, modesArg] = process.argv.slice(2);
  const seeds = seedsArg.split(',').map(Number);
  const ns = nsArg.split(',').map(Number);
  const modes = modesArg.split(',') as Mode[];
  const runs: unknown[] = [];
  const baselines: unknown[] = [];
  for (const seed of seeds) {
    const sandbox = await startSandboxProcess(seed);
    try {
      await sandbox.knobs({ rateLimit: { perSecond: 5, enforce: true, headers: true, windowMs: 30_000, perWindow: null, otherClientShare: 0 } });
      for (const n of ns) {
        await sandbox.knobs({ dayVolumes: { [DAY]: n } });
        const expected = await sandbox.count(dayRequest());
        for (const mode of modes) {
          await sandbox.knobs({ truncation: mode });
          const logStart = await sandbox.fresh();
          let httpMs = 0;
          const client = clientFor(sandbox, 5, (ms) => (httpMs += ms));
          const t0 = performance.now();
          const res = await fetchAll(dayRequest(), { stream: (r, signal) => client.streamClicks(r, { signal }), zone: 'UTC' });
          const wallMs = performance.now() - t0;
          const statuses = await sandbox.statuses(logStart);
          runs.push({
            seed,
            n,
            mode,
            expected,
            rows: res.rows.length,
            complete: res.complete,
            requests: res.requests,
            lowerBound: Math.ceil(n / CAP),
            wallMs: Math.round(wallMs),
            httpMs,
            rateLimited: statuses.filter((s) => s === 429).length,
          });
        }
        // A baseline, not the figure: counted on the first day only, to keep the run short.
        if (process.argv.includes('--halving') && seed === seeds[0]) {
          baselines.push({ seed, n, method: 'halving', requests: await halvingRequests(sandbox, dayRequest()), lowerBound: Math.ceil(n / CAP) });
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
