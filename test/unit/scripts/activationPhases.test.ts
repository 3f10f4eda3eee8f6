// The activation benchmark's breakdown (bench/report.ts): the extension's phase marks per run become a
// median per phase, in activation's order, and the report sums only the phases VS Code's figure counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildReport, summariseActivation } from '../../../bench/report';

const run = (n: number, load: number, wait: number, tree: number) => ({
  run: n,
  vscode: { 'Everflow Clicks': { ms: 40 + n }, 'Empty extension A (benchmark baseline only)': { ms: 1 } },
  phases: [
    { phase: 'read, compile, shared chunks', ms: load, counted: true },
    { phase: 'waiting for VS Code (extension context; not in its figure)', ms: wait, counted: false },
    { phase: 'saved queries view (tree view created)', ms: tree, counted: true },
  ],
});

describe('activation phases in the benchmark report', () => {
  const pass = { quiet: false, activationEvents: ['onLanguage:plaintext'], runs: [run(0, 99, 999, 99), run(1, 10, 50, 1), run(2, 14, 70, 3), run(3, 12, 60, 2)] };

  test('each phase gets its median over the measured runs (run 0 warms up and is left out), in order', () => {
    const s = summariseActivation(pass);
    assert.deepEqual(
      s.phasesMs.map((p: { phase: string; median: number; counted: boolean }) => [p.phase, p.median, p.counted]),
      [
        ['read, compile, shared chunks', 12, true],
        ['waiting for VS Code (extension context; not in its figure)', 60, false],
        ['saved queries view (tree view created)', 2, true],
      ],
    );
  });

  test('the report row sums only what VS Code counts and names the rest of its figure', () => {
    const { rows } = buildReport({ activation: { startup: summariseActivation(pass) } });
    const row = rows.find((r) => r.measure.startsWith('Where it goes (start-up)'));
    assert.ok(row, 'no breakdown row');
    assert.match(row.ours, /sum 14 ms$/);
    assert.match(row.baseline, /: 28 ms$/);
  });

  test('a build that writes no marks (an earlier commit) gets no breakdown', () => {
    const s = summariseActivation({ ...pass, runs: pass.runs.map(({ phases: _, ...r }) => r) });
    assert.equal(s.phasesMs, undefined);
    assert.ok(!buildReport({ activation: { startup: s } }).rows.some((r) => r.measure.startsWith('Where it goes')));
  });

  test("a pass's events are its counted loads' when the logs gave one per load (run 0's is left out)", () => {
    const s = summariseActivation({ ...pass, activationEvents: ['onStartupFinished', 'onLanguage:log', 'onLanguage:log', 'onLanguage:log'] });
    assert.deepEqual(s.activationEvents, ['onLanguage:log']);
    // Fewer or more events than loads: which load each belongs to is unknown, so all of them are named.
    assert.deepEqual(summariseActivation({ ...pass, activationEvents: ['onStartupFinished', 'onLanguage:log'] }).activationEvents, ['onStartupFinished', 'onLanguage:log']);
  });

  test('the window with a log restored gets its own rows and goal, read against its own floor', () => {
    const withLog = summariseActivation({ ...pass, activationEvents: ['onStartupFinished', 'onLanguage:log', 'onLanguage:log', 'onLanguage:log'] });
    const floor = summariseActivation({ ...pass, subject: 'Floor', runs: pass.runs.map((r) => ({ ...r, vscode: { Floor: { ms: 20 } } })) });
    const { rows, goals } = buildReport({ activation: { startup: summariseActivation(pass), startupLog: withLog, startupLogFloor: floor } });
    const row = rows.find((r) => r.measure.startsWith('Activation as a window opens with a .log editor restored (onLanguage:log)'));
    assert.ok(row, rows.map((r) => r.measure).join('\n'));
    assert.match(row.baseline, /^an empty extension with the same activation events in its place, at start-up: 20 ms/);
    assert.equal(row.ratio, '2.10× of its floor');
    assert.ok(rows.some((r) => r.measure.startsWith('Where it goes (start-up, a log editor restored)')));
    assert.deepEqual(
      goals.filter((g) => g.goal.startsWith('activation')).map((g) => [g.goal, g.met]),
      [
        ['activation ≤ 50 ms (start-up)', true],
        ['activation ≤ 50 ms (start-up, a log editor restored)', true],
      ],
    );
  });
});
