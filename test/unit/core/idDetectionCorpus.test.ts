import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createIdDetector, detectInText } from '../../../src/core/idDetection';

// The detector measured on every labelled corpus: test/fixtures/logs (line logs, tickets, an
// export) and test/fixtures/logs/structured (XML, YAML, headers, syslog, logfmt, forms, Kubernetes,
// CSV/TSV, HAR, Markdown, checksum listings). Labels come from the generators, which know what
// they planted where.
//
// Recall counts every reported value, click or candidate: a candidate is still offered to the user.
// Precision counts what Look Up All sends without asking, the clicks; a second figure counts the
// candidates too, to show how much the question before them has to filter.

interface Labels {
  file: string;
  kind: string;
  clickIds: { line: number; start: number }[];
  decoys: { line: number; start: number; kind: string }[];
}

const LOGS = join(__dirname, '..', '..', 'fixtures', 'logs');
const CORPORA = [LOGS, join(LOGS, 'structured')];

function load(dir: string): { labels: Labels; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.labels.json'))
    .sort()
    .map((f) => {
      const labels = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Labels;
      return { labels, text: readFileSync(join(dir, labels.file), 'utf8') };
    });
}

interface Tally {
  truth: number;
  clicks: number;
  clicksRight: number;
  reported: number;
  reportedRight: number;
}

const ratio = (n: number, d: number): string => (d === 0 ? '  —  ' : (n / d).toFixed(3));

describe('detection measured on the labelled corpora', () => {
  const detector = createIdDetector();
  const files = CORPORA.flatMap(load);

  it('has labels that point at 32-hex values, in every format asked for', () => {
    let truth = 0;
    for (const { labels, text } of files) {
      const rows = text.split('\n');
      truth += labels.clickIds.length;
      for (const { line, start } of [...labels.clickIds, ...labels.decoys]) {
        assert.match(rows[line].slice(start, start + 32), /^[0-9a-fA-F]{32}$/, `${labels.file}:${line}:${start}`);
      }
    }
    const kinds = new Set(files.map((f) => f.labels.kind));
    for (const k of ['eventxml', 'yaml', 'headers', 'syslog', 'logfmt', 'form', 'k8s', 'csv', 'tsv', 'har', 'markdown', 'edge']) assert.ok(kinds.has(k), k);
    assert.ok(truth >= 800, `${truth} true ids`);
  });

  it('reaches precision ≥ 0.97 on clicks with recall ≥ 0.99, per format reported', (t) => {
    const all: Tally = { truth: 0, clicks: 0, clicksRight: 0, reported: 0, reportedRight: 0 };
    const report: string[] = [];
    const falseClicks: string[] = [];
    for (const { labels, text } of files) {
      const truth = new Set(labels.clickIds.map((p) => `${p.line}:${p.start}`));
      const decoys = new Map(labels.decoys.map((d) => [`${d.line}:${d.start}`, d.kind]));
      const tally: Tally = { truth: truth.size, clicks: 0, clicksRight: 0, reported: 0, reportedRight: 0 };
      const hit = new Set<string>();
      for (const d of detectInText(text, detector)) {
        const key = `${d.line}:${d.start}`;
        const right = truth.has(key);
        tally.reported++;
        if (right) {
          tally.reportedRight++;
          hit.add(key);
        }
        if (d.kind === 'click') {
          tally.clicks++;
          if (right) tally.clicksRight++;
          else falseClicks.push(`${labels.file}:${key} (${decoys.get(key) ?? 'unlabelled'})`);
        }
      }
      for (const k of Object.keys(all) as (keyof Tally)[]) all[k] += tally[k];
      report.push(
        `${labels.kind.padEnd(9)} ${labels.file.padEnd(22)} clicks precision ${ratio(tally.clicksRight, tally.clicks)}  ` +
          `with candidates ${ratio(tally.reportedRight, tally.reported)}  recall ${ratio(hit.size, tally.truth)}  ` +
          `(${tally.clicks} clicks, ${tally.reported - tally.clicks} candidates, ${tally.truth} true)`,
      );
    }
    const precision = all.clicksRight / all.clicks;
    const recall = all.reportedRight / all.truth;
    report.push(
      `${'all'.padEnd(32)} clicks precision ${precision.toFixed(3)}  with candidates ${ratio(all.reportedRight, all.reported)}  ` +
        `recall ${recall.toFixed(3)}  (${all.clicks} clicks, ${all.reported - all.clicks} candidates, ${all.truth} true)`,
    );
    if (falseClicks.length) report.push(`false clicks: ${falseClicks.slice(0, 20).join(', ')}`);
    for (const r of report) t.diagnostic(r);
    console.log(report.join('\n'));
    assert.ok(precision >= 0.97, `clicks precision ${precision.toFixed(3)}`);
    assert.ok(recall >= 0.99, `recall ${recall.toFixed(3)}`);
  });
});
