// The figures of issue #7's suite (hostile payloads tried, faults injected, leaks found), gathered while
// the tests run into test-results/security-report.json. Every suite that counts something records its own
// section; totals are recomputed on each write, so the file always adds up whichever suites ran. Used by
// the integration suites (inside the extension host) and the e2e tests (in node), so it needs only node.
import fs from 'node:fs';
import path from 'node:path';

export const SECURITY_REPORT = path.join('test-results', 'security-report.json');

/** The command that reproduces every figure in the report. */
export const REPRODUCE =
  'npm run test:integration -- --grep "Key audit|Faults through the extension|Saved data|Chat tools"; ' +
  'npm run test:e2e -- test/e2e/hostile.test.ts test/e2e/keyAudit.test.ts test/e2e/faults.test.ts test/e2e/trust.test.ts';

export interface SectionFigures {
  /** Hostile values put in front of a surface (payload × surface), each checked for execution and links. */
  payloadsTried: number;
  /** Faulty answers the sandbox actually sent (each 429, 5xx, cut body, hang … counts once). */
  faultsInjected: number;
  /** Places the key was found, payloads that ran, links or commands created from data, bytes lost. */
  leaksFound: number;
  /** How many checks (places searched, assertions on surfaces) stand behind the figures. */
  checks?: number;
  /** Free-form detail: which surfaces, which faults, where a leak was. */
  details?: Record<string, unknown>;
}

interface Report {
  command: string;
  updatedAt: string;
  totals: { payloadsTried: number; faultsInjected: number; leaksFound: number; checks: number; sections: number };
  sections: Record<string, SectionFigures & { at: string }>;
}

function read(file: string): Report | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
    return r && typeof r.sections === 'object' ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Merges `figures` as section `name` into the report under `repoRoot` and prints one summary line.
 * Never throws: a report that cannot be written must not turn a passing test into a failing one.
 */
export function recordSecurity(repoRoot: string, name: string, figures: SectionFigures): Report | undefined {
  try {
    const file = path.join(repoRoot, SECURITY_REPORT);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const report: Report = read(file) ?? { command: REPRODUCE, updatedAt: '', totals: { payloadsTried: 0, faultsInjected: 0, leaksFound: 0, checks: 0, sections: 0 }, sections: {} };
    report.command = REPRODUCE;
    report.updatedAt = new Date().toISOString();
    report.sections[name] = { ...figures, at: report.updatedAt };
    const all = Object.values(report.sections);
    report.totals = {
      payloadsTried: all.reduce((s, x) => s + (x.payloadsTried || 0), 0),
      faultsInjected: all.reduce((s, x) => s + (x.faultsInjected || 0), 0),
      leaksFound: all.reduce((s, x) => s + (x.leaksFound || 0), 0),
      checks: all.reduce((s, x) => s + (x.checks || 0), 0),
      sections: all.length,
    };
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
    fs.renameSync(tmp, file);
    const t = report.totals;
    console.log(
      `[security] ${name}: ${figures.payloadsTried} payloads tried, ${figures.faultsInjected} faults injected, ${figures.leaksFound} leaks found` +
        ` · report so far (${t.sections} sections): ${t.payloadsTried} payloads, ${t.faultsInjected} faults, ${t.leaksFound} leaks → ${SECURITY_REPORT}`,
    );
    return report;
  } catch (e) {
    console.error(`[security] could not write ${SECURITY_REPORT}: ${String(e)}`);
    return undefined;
  }
}

/** Where a needle (the key) occurs in a file, as "path@offset"; binary files are searched as bytes. */
export function findInFile(file: string, needles: readonly string[]): string[] {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return [];
  }
  const hits: string[] = [];
  for (const n of needles) {
    // UTF-8 and UTF-16LE (how SQLite and some Chromium stores keep text).
    for (const enc of ['utf8', 'utf16le'] as const) {
      const at = buf.indexOf(Buffer.from(n, enc));
      if (at >= 0) hits.push(`${file}@${at} (${enc})`);
    }
  }
  return hits;
}

/** Every regular file under `dir` (symlinks not followed), skipping paths `skip` rejects. */
export function filesUnder(dir: string, skip: (p: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (skip(p) || e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}
