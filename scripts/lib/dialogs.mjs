// Modal dialogs for integration suites. A suite in the extension host cannot press a button of the
// workbench's own dialogs (the confirmation VS Code shows before a chat tool runs outside a chat, say),
// so it writes a request file naming the button, and the harness, which drives the browser, reads what
// the dialog shows (as a person sees it), presses that button and writes the answer file back.

import fs from 'node:fs';

let shots = 0;

/**
 * Answers one pending request, if any: `{ button }` in `requestFile` → clicks the button of that label
 * in the open dialog, writes `{ title, detail, buttons, clicked }` to `answerFile`. Returns true when it answered.
 */
export async function answerDialogRequest(page, requestFile, answerFile, screenshotDir) {
  if (!fs.existsSync(requestFile)) return false;
  let request;
  try {
    request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  } catch {
    return false; // still being written
  }
  const box = page.locator('.monaco-dialog-box');
  if (!(await box.isVisible().catch(() => false))) return false;
  const text = async (sel) => (await box.locator(sel).first().innerText().catch(() => '')).trim();
  const buttons = (await box.locator('.dialog-buttons .monaco-button').allInnerTexts().catch(() => [])).map((b) => b.trim());
  const answer = { title: await text('.dialog-message-text'), detail: await text('.dialog-message-detail'), buttons, clicked: null };
  // What a person sees, kept for review (test-results/screenshots/dialog-<n>.png).
  if (screenshotDir) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: `${screenshotDir}/dialog-${++shots}.png` }).catch(() => {});
  }
  const target = box.locator('.dialog-buttons .monaco-button').filter({ hasText: String(request.button) }).first();
  if (await target.isVisible().catch(() => false)) {
    await target.click();
    answer.clicked = String(request.button);
  }
  fs.rmSync(requestFile, { force: true });
  fs.writeFileSync(answerFile, JSON.stringify(answer, null, 2));
  return true;
}
