// Writes the click-stream responses the core benchmarks parse: real response bodies from the
// sandbox (hostile rows and all), 5,000 rows as one capped response and 100,000 rows as one
// response with the cap lifted, so parse times are for the bytes the client really receives.
//
//   node out/bench/data.cjs <outDir>   → prints {"5000": path, "100000": path}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STREAM_PATH } from '../../src/core/client';
import { startSandbox } from '../../test/sandbox/server';
import { DAY, NOW, dayRequest } from '../lib/sandboxDay';

async function main(): Promise<void> {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: data.cjs <outDir>');
  mkdirSync(outDir, { recursive: true });
  const sandbox = await startSandbox({ seed: 1, now: NOW, knobs: { dayVolumes: { [DAY]: 100_000 } } });
  const files: Record<string, string> = {};
  try {
    for (const n of [5000, 100_000]) {
      sandbox.setKnobs({ cap: n });
      const res = await fetch(sandbox.url + STREAM_PATH, {
        method: 'POST',
        headers: { 'X-Eflow-API-Key': sandbox.keys.valid, 'Content-Type': 'application/json' },
        body: JSON.stringify(dayRequest()),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`the sandbox answered ${res.status}: ${text.slice(0, 200)}`);
      const file = join(outDir, `clicks-${n}.json`);
      writeFileSync(file, text);
      files[n] = file;
    }
  } finally {
    await sandbox.close();
  }
  process.stdout.write(`${JSON.stringify(files)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
