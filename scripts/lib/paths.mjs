// Where the test infrastructure keeps things. Everything it creates lives in git-ignored folders:
// `.testhost/` (the pinned Node 24 and code-server), `out/test/` (bundled test code) and
// `test-results/` (results, logs and screenshots).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const testhostDir = path.join(repoRoot, '.testhost');
export const outTestDir = path.join(repoRoot, 'out', 'test');
export const resultsDir = path.join(repoRoot, 'test-results');
export const logsDir = path.join(resultsDir, 'logs');
export const screenshotsDir = path.join(resultsDir, 'screenshots');
export const chromiumPath = '/usr/bin/chromium';
/** Where scripts/run-integration.mjs leaves the last run's results (scripts/test.mjs reads the counts). */
export const integrationResultsFile = path.join(resultsDir, 'integration-results.json');
