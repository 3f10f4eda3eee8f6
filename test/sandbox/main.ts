// `npm run sandbox`: starts the Everflow sandbox and keeps it running until Ctrl+C / SIGTERM.
// Options: --port N (or SANDBOX_PORT; 0 = any free port), --seed N, --now 2026-03-15T12:00:00Z
// (a fixed clock, for screenshots and demos that must not change from run to run).

import { startSandbox } from './server';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

function integer(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = integer(option(args, 'port') ?? process.env.SANDBOX_PORT, 'port') ?? 0;
  const seed = integer(option(args, 'seed') ?? process.env.SANDBOX_SEED, 'seed');
  const nowText = option(args, 'now');
  const now = nowText ? new Date(nowText) : undefined;
  if (now && Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO date, got "${nowText}"`);

  const sandbox = await startSandbox({ port, seed, now });
  const ids = sandbox.sampleIds(5);
  const lines = [
    `Everflow sandbox listening on ${sandbox.url}`,
    '',
    `  API key (demo affiliate):   ${sandbox.keys.valid}`,
    `  second account key:         ${sandbox.keys.second}`,
    `  network key (403 here):     ${sandbox.keys.forbidden}`,
    '',
    '  sample transaction ids (yesterday, UTC):',
    ...ids.map((id) => `    ${id}`),
    `  hostile-strings click:      ${sandbox.hostileSampleId()}`,
    '  clicks that converted (3 days ago, UTC):',
    ...sandbox.convertedSampleIds(3, { daysAgo: 3 }).map((id) => `    ${id}`),
    '',
    `  try: curl -s -H 'X-Eflow-API-Key: ${sandbox.keys.valid}' ${sandbox.url}/v1/affiliates/reporting/clicks/${ids[0] ?? '<id>'}`,
    `  control: GET ${sandbox.url}/__sandbox/state · POST /__sandbox/knobs · POST /__sandbox/reset`,
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox`);
    sandbox.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`sandbox: ${(err as Error).message}`);
  process.exit(1);
});
