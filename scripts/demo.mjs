// `npm run demo`: builds the extension, starts the local sandbox Everflow API with sample data, and
// opens VS Code pointed at it with a demo account. Desktop VS Code when `code` is on PATH (in a
// separate profile, so your own settings and keys are untouched); otherwise code-server, whose URL is
// printed. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './lib/paths.mjs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: repoRoot });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
};

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function demoFiles(sandbox, ids) {
  const now = new Date();
  // Clicks from a few days ago that converted (some several times, some with events), so the hover's
  // conversion line, Trace Click and the grid's conversion columns have something to show.
  const converted = [...sandbox.convertedSampleIds(2, { daysAgo: 3 }), ...sandbox.convertedSampleIds(1, { daysAgo: 10, kind: 'events' })];
  const line = (i, id) => {
    const t = new Date(now.getTime() - (8 - i) * 97_000).toISOString();
    return `${t} INFO  postback received transaction_id=${id} status=200 offer=883 payout=2.50`;
  };
  return {
    'app.log': [
      ...ids.map((id, i) => line(i, id)),
      ...converted.map((id) => `${now.toISOString()} INFO  order confirmed transaction_id=${id} status=200`),
      `${now.toISOString()} WARN  device idfa_md5=9e107d9d372bb6826bd81d3542a419d6 is not a click id`,
      `${now.toISOString()} INFO  hostile sample: tid=${sandbox.hostileSampleId()}`,
      '',
    ].join('\n'),
    'README.md': [
      '# Everflow Clicks demo',
      '',
      `The extension talks to a local sandbox Everflow API at ${sandbox.url} with a demo account.`,
      '',
      '- Run **Everflow: Look Up Click by Transaction ID** with one of these IDs:',
      ...ids.map((id) => `  - \`${id}\``),
      '- These clicks converted (hover them, or run **Everflow: Trace Click…**):',
      ...converted.map((id) => `  - \`${id}\``),
      '- Run **Everflow: Run Click Stream…** and pick "Last 7 days", then **Add Conversions** on the grid: some clicks converted, some several times, some with events.',
      '- Open `app.log`: it is full of transaction IDs.',
      '',
    ].join('\n'),
  };
}

async function main() {
  run('node', ['esbuild.js']);
  const { startSandbox } = await import('./lib/workbench.mjs');
  const port = Number(process.env.SANDBOX_PORT) || 0;
  const sandbox = await startSandbox({ port });
  console.log(`\nSandbox Everflow API: ${sandbox.url}\nDemo API key:         ${sandbox.keys.valid}\n`);
  // The extension takes this key only for a loopback base URL and only when it has no account yet.
  process.env.EVERFLOW_CLICKS_DEMO_KEY = sandbox.keys.valid;
  const settings = { 'everflow.baseUrl': sandbox.url };
  const ids = sandbox.sampleIds(8);

  if (onPath('code') && !process.env.EVERFLOW_DEMO_CODE_SERVER) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'everflow-demo-'));
    const userDir = path.join(root, 'user');
    fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    const workspace = path.join(root, 'workspace');
    fs.mkdirSync(workspace);
    for (const [name, text] of Object.entries(demoFiles(sandbox, ids))) fs.writeFileSync(path.join(workspace, name), text);
    console.log('Opening desktop VS Code with the extension under development…');
    const code = spawn('code', ['--new-window', '--wait', `--user-data-dir=${userDir}`, `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
    code.on('exit', () => void sandbox.close().then(() => process.exit(0)));
    return;
  }

  const { ensureTesthost } = await import('./lib/testhost.mjs');
  await ensureTesthost();
  const { extensionUnderTest, prepareProfile, startCodeServer, baseSettings } = await import('./lib/workbench.mjs');
  const profile = prepareProfile({ label: 'demo', settings: { ...baseSettings, ...settings, 'workbench.startupEditor': 'readme' }, extensions: [extensionUnderTest()], files: demoFiles(sandbox, ids) });
  const server = await startCodeServer({ profile, timeoutMs: 120_000 });
  const url = `${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`;
  console.log(`\ncode-server is running. Open this in a browser:\n\n  ${url}\n\nSample transaction IDs: ${ids.slice(0, 3).join(', ')}\nPress Ctrl+C to stop.\n`);
  const stop = async () => {
    await server.stop();
    await sandbox.close();
    profile.remove();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
