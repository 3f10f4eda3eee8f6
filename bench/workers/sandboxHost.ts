// The sandbox in a process of its own for the fetch-all benchmark. In the client's process the
// server would share its event loop: a 5,000-row parse on the client side would delay the server's
// arrival timestamps and squeeze its rate-limit windows, and its JSON building would be billed to
// the client. A real server is elsewhere, so this one is too. Driven over IPC by fetchAll.ts.

import { startSandbox, type CountRequest, type Knobs } from '../../test/sandbox/server';
import { NOW } from '../lib/sandboxDay';

type Request =
  | { id: number; type: 'knobs'; knobs: Partial<Knobs> }
  /** Forgets the rate-limit windows: each run is a new client, which a server idle for a second would meet. */
  | { id: number; type: 'fresh' }
  | { id: number; type: 'count'; req: CountRequest }
  | { id: number; type: 'statuses'; since: number };

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? 1);
  const sandbox = await startSandbox({ seed, now: NOW });
  const send = (m: unknown): void => void process.send!(m);
  let applied: Partial<Knobs> = {};
  process.on('message', (m: Request) => {
    try {
      if (m.type === 'knobs') {
        applied = { ...applied, ...m.knobs };
        sandbox.setKnobs(m.knobs);
      } else if (m.type === 'fresh') {
        sandbox.resetKnobs();
        sandbox.setKnobs(applied);
      }
      const value =
        m.type === 'count' ? sandbox.countClicks(m.req) : m.type === 'statuses' ? sandbox.requestLog.slice(m.since).map((e) => e.status) : sandbox.requestLog.length;
      send({ id: m.id, value });
    } catch (e) {
      send({ id: m.id, error: String(e) });
    }
  });
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
  send({ ready: true, url: sandbox.url, key: sandbox.keys.valid });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
