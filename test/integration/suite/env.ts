// What the integration suites know about their surroundings. The harness writes a config JSON before the
// extension host starts (scripts/run-integration.mjs next to the test-runner extension; scripts/run-electron.mjs
// in its temp folder) and makes its path visible as process.env[CONFIG_ENV] inside the extension host.
import * as fs from 'fs';

export const CONFIG_ENV = 'EVERFLOW_TEST_CONFIG';

export interface SandboxKeys {
  /** A key the sandbox accepts. */
  valid: string;
  /** A second valid key (a second account). */
  second: string;
  /** A key the sandbox answers 403 for. */
  forbidden: string;
}

export interface IntegrationTestConfig {
  /** Base URL of the local Everflow sandbox; also set as `everflow.baseUrl` in the user settings. */
  sandboxUrl: string;
  keys: SandboxKeys;
  /** Transaction ids the sandbox knows (a handful, in a stable order for the seed). */
  sampleIds: string[];
  /** A transaction id whose click carries hostile strings (HTML, control characters …), if the sandbox has one. */
  hostileSampleId?: string;
  /** The folder the window has open; contains `sample.log`. */
  workspaceFolder: string;
  /** `publisher.name` of the extension under test. */
  extensionId: string;
  /** Where the suite entry writes its results JSON. */
  resultsFile: string;
  /**
   * A suite writes `{ "button": "Yes" }` here to have the harness press that button of the next modal
   * dialog of the workbench; the harness then writes what the dialog showed to `dialogAnswerFile`.
   * Only the code-server route has these (helpers.answerDialog).
   */
  dialogRequestFile?: string;
  dialogAnswerFile?: string;
  /** Written by the runner extension when it starts the suites (harness use). */
  startedFile: string;
  /** Where the suites append progress lines as tests start and end (format: scripts/lib/progress.mjs). */
  progressFile?: string;
  /** Absolute path of the bundled suite entry (harness use). */
  suiteIndex: string;
  /** Only run tests whose full title matches this regular expression. */
  grep?: string;
  /** Mocha's per-test timeout. */
  testTimeoutMs?: number;
}

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface IntegrationResults {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when the suites could not be run at all. */
  error?: { message: string; stack?: string };
}

let cached: IntegrationTestConfig | undefined;

/** The harness's config. Throws with a clear message when the suites run outside a harness. */
export function testConfig(): IntegrationTestConfig {
  if (cached) return cached;
  const file = process.env[CONFIG_ENV];
  if (!file) throw new Error(`${CONFIG_ENV} is not set: run the suites through npm run test:integration or test:electron`);
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as IntegrationTestConfig;
  return cached;
}

/** Changes the sandbox's behaviour (latency, errors, rate limits …) through its control API. */
export async function setSandboxKnobs(knobs: Record<string, unknown>): Promise<void> {
  await control('POST', '/__sandbox/knobs', knobs);
}

/** Puts the sandbox back to its starting knobs and counters. */
export async function resetSandbox(): Promise<void> {
  await control('POST', '/__sandbox/reset');
}

/** The sandbox's state: `{ url, keys, knobs, sampleIds, requestCount }`. */
export async function sandboxState(): Promise<{ requestCount: number; knobs: Record<string, unknown> } & Record<string, unknown>> {
  return (await control('GET', '/__sandbox/state')) as { requestCount: number; knobs: Record<string, unknown> };
}

async function control(method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(route, testConfig().sandboxUrl), {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${route} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
