// `npm run setup:testhost`: installs (idempotently) what the integration and end-to-end tests run on:
// Debian's Chromium and build headers, a pinned Node 24 and a pinned code-server, into `.testhost/`.
// `--force` reinstalls Node and code-server even when the stamp says they are current.
import { ensureTesthost } from './lib/testhost.mjs';

try {
  await ensureTesthost({ force: process.argv.includes('--force') });
} catch (e) {
  console.error(`[testhost] FAILED: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
