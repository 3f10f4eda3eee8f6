// What the issue-#7 suites (key audit, faults, saved data) share: where the harness put the profile, the
// Everflow log as written to disk, the extension's messages as logged, and the security report.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { filesUnder, recordSecurity, type SectionFigures } from '../../support/securityReport';
import { testConfig } from './env';

/** A key a person might type by mistake: sent once to be checked, refused, and never to be written anywhere. */
export const MISTYPED_KEY = 'sbxMistypedKeyNeverSaved42';

/** Every key the run uses, valid or not: none may appear in a log, document, file or message. */
export function allKeys(): string[] {
  const k = testConfig().keys;
  return [k.valid, k.second, k.forbidden, MISTYPED_KEY];
}

/** The throw-away profile the harness made: `<root>/workspace`, `<root>/user-data`, `<root>/extensions`. */
export function profileRoot(): string {
  return path.dirname(testConfig().workspaceFolder);
}

export function userDataDir(): string {
  return path.join(profileRoot(), 'user-data');
}

/** The repository (the suites are bundled to out/test/integration/suite/). */
export function repoRoot(): string {
  return path.resolve(path.dirname(testConfig().suiteIndex), '..', '..', '..', '..');
}

/** The Everflow output channel's log files (one per extension host session). */
export function everflowLogFiles(): string[] {
  return filesUnder(path.join(userDataDir(), 'logs')).filter((f) => /everflow-clicks\.everflow-clicks[\\/]Everflow\.log$/.test(f));
}

export function everflowLog(): string {
  return everflowLogFiles()
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

/**
 * A mark in the log: `since(mark)` is what was written after it. The channel writes to its file
 * a moment after each call, so `waitForLog` polls.
 */
export function logMark(): number {
  return everflowLog().length;
}

export function logSince(mark: number): string {
  return everflowLog().slice(mark);
}

export async function waitForLog(mark: number, pattern: RegExp, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = logSince(mark);
    const line = text.split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms; the log since the mark:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The error message reportError showed (it logs the same text at error level), after `mark`. */
export function waitForShownError(mark: number, timeoutMs?: number): Promise<string> {
  return waitForLog(mark, /\[error\]/, timeoutMs).then((l) => l.replace(/^.*?\[error\]\s*/, ''));
}

/** Results open as JSON documents in these suites, so a test can read what a person would. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration('everflow')
    .update(key, value, vscode.ConfigurationTarget.Global)
    .then(undefined, () => undefined); // a key that is not registered (yet) cannot be written; tests then use the default
}

export function userSetting(key: string): unknown {
  return vscode.workspace.getConfiguration('everflow').inspect(key)?.globalValue;
}

export function record(section: string, figures: SectionFigures): void {
  recordSecurity(repoRoot(), `integration/${section}`, figures);
}

/** Yesterday (UTC), one minute of it: a small stream that always has a few clicks. */
export function smallWindow(minute = 12 * 60): { from: string; to: string; timezone_id: number } {
  const d = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return { from: `${d} ${hh}:${mm}:00`, to: `${d} ${hh}:${mm}:59`, timezone_id: 67 };
}
