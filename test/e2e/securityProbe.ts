// What the issue-#7 end-to-end tests share: detecting a payload that ran (a dialog, or the `__pwned` flag
// in any frame), finding elements that data could have created (in shadow roots too), editing the user
// settings of a running workbench, and the security report.
import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { recordSecurity, type SectionFigures } from '../support/securityReport';
import { HOSTILE_PAYLOADS } from '../sandbox/hostile';
import { waitUntil, type Workbench } from './harness';

export { waitUntil };

export const repoRoot = path.resolve(__dirname, '..', '..');

export function record(section: string, figures: SectionFigures): void {
  recordSecurity(repoRoot, `e2e/${section}`, figures);
}

/** Dialogs (alert, confirm, prompt) any frame opened: each is dismissed and remembered. */
export function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  return seen;
}

/** URLs of the frames (the workbench, every webview and its inner frame) where a payload set the flag. */
export async function pwnedFrames(page: Page): Promise<string[]> {
  const hits: string[] = [];
  for (const frame of page.frames()) {
    const flag = await frame.evaluate(() => (window as unknown as Record<string, unknown>).__pwned).catch(() => undefined);
    if (flag !== undefined) hits.push(frame.url());
  }
  return hits;
}

export interface LiveElements {
  /** Elements that load or run something (img, script, iframe, object, embed, video, audio), and SVG with markers of data. */
  loaders: string[];
  /** Elements with an on* attribute. */
  handlers: string[];
  /** href/src/action values the surface's own UI does not account for (`allowLink`). */
  links: string[];
}

/**
 * Walks everything under `root` (open shadow roots included) and lists what data could have turned into:
 * elements that load or run, on* attributes, and links. The UI's own scripts carry the CSP nonce and are
 * not counted (an injected script could not carry it); the UI's own icons are fonts or plain SVG, so an
 * SVG counts only with a handler or a payload's text in it. `allowLink` names the UI's own links.
 */
export async function liveElements(root: Locator, allowLink: (href: string) => boolean = () => false): Promise<LiveElements> {
  // No named functions inside evaluate(): tsx would wrap them in a helper the page does not have.
  const found = await root.evaluate((el) => {
    const out = { loaders: [] as string[], handlers: [] as string[], links: [] as string[] };
    const LOADERS = new Set(['img', 'script', 'iframe', 'object', 'embed', 'video', 'audio', 'image']);
    const MARKERS = /__pwned|onerror|onload|alert\(|evil\.example/i;
    const stack: (Element | ShadowRoot)[] = [el];
    while (stack.length) {
      const node = stack.pop()!;
      for (const e of Array.from(node.children)) {
        const tag = e.tagName.toLowerCase();
        const ownScript = tag === 'script' && e.hasAttribute('nonce');
        if ((LOADERS.has(tag) && !ownScript) || (tag === 'svg' && MARKERS.test(e.outerHTML))) out.loaders.push(`${tag} ${e.outerHTML.slice(0, 120)}`);
        let linked = false;
        for (const a of Array.from(e.attributes)) {
          if (/^on/i.test(a.name)) out.handlers.push(`${tag} ${a.name}="${a.value.slice(0, 60)}"`);
          // One per element: VS Code's rendered markdown repeats a link's target in data-href.
          if (!linked && ['href', 'src', 'action', 'formaction', 'xlink:href', 'data-href'].includes(a.name.toLowerCase()) && a.value && !ownScript) {
            out.links.push(a.value);
            linked = true;
          }
        }
        if (e.shadowRoot) stack.push(e.shadowRoot);
        stack.push(e);
      }
    }
    return out;
  });
  return { ...found, links: found.links.filter((h) => !allowLink(h)) };
}

/** Everything in `found` as one list, for an assertion that it is empty. */
export function anyLive(found: LiveElements): string[] {
  return [...found.loaders, ...found.handlers, ...found.links.map((l) => `link ${l.slice(0, 100)}`)];
}

/** How many of the hostile payloads are in `text` (a click as JSON, a file …). */
export function payloadsIn(text: string): number {
  return new Set(HOSTILE_PAYLOADS.filter((p) => text.includes(p.value.slice(0, 200))).map((p) => p.value)).size;
}

/** The JSON-escaped form of each payload, for counting them in JSON text. */
export function payloadsInJson(value: unknown): number {
  const text = JSON.stringify(value);
  return new Set(HOSTILE_PAYLOADS.filter((p) => text.includes(JSON.stringify(p.value).slice(1, -1).slice(0, 200))).map((p) => p.value)).size;
}

export function userSettingsFile(wb: Workbench): string {
  return path.join(path.dirname(wb.workspaceDir), 'user-data', 'User', 'settings.json');
}

/** Merges `patch` into the running workbench's user settings (undefined removes a key); VS Code picks it up. */
export function setUserSettings(wb: Workbench, patch: Record<string, unknown>): void {
  const file = userSettingsFile(wb);
  const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete current[k];
    else current[k] = v;
  }
  fs.writeFileSync(file, JSON.stringify(current, null, 2));
}

/**
 * Takes the keyboard back from a webview (the grid keeps it after it loads, and F1 pressed there does not
 * reach the workbench), so the palette opens.
 */
/** Set API Key through the palette: the account name box, then the password box. */
export async function setKey(wb: Workbench, key: string, account?: string): Promise<void> {
  await wb.enterApiKey(key, account);
}

/** Look Up Click by Transaction ID through the palette. */
export async function lookUp(wb: Workbench, id: string): Promise<void> {
  await wb.runCommand('Everflow: Look Up Click by Transaction ID');
  await wb.waitForQuickInput({ title: /Look Up Click/i });
  await wb.quickInputType(id);
  await wb.quickInputAccept();
}

/** Run Click Stream… in UTC over a preset window (or the custom `from → to` in `customRange`), without filters. */
export async function runStream(wb: Workbench, windowLabel: string, customRange?: string): Promise<void> {
  await wb.runCommand('Everflow: Run Click Stream…');
  await wb.waitForQuickInput({ title: /timezone/i });
  await wb.quickInputType('UTC');
  await wb.quickInputAccept();
  await wb.waitForQuickInput({ title: /time window/i });
  await wb.quickInputType(customRange === undefined ? windowLabel : 'Custom range');
  await wb.quickInputAccept();
  if (customRange !== undefined) {
    await wb.waitForQuickInput({ title: /custom window/i });
    await wb.quickInputType(customRange);
    await wb.quickInputAccept();
  }
  await wb.waitForQuickInput({ title: /filters/i });
  await wb.quickInputAccept();
}

/** The toasts' message elements (for looking inside them, not only at their text). */
export function toastMessages(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-list-item-message');
}

/** Closes every toast (the "Clear All Notifications" command), so the next test reads only its own. */
export async function clearNotifications(wb: Workbench): Promise<void> {
  await wb.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
}

/** A frame's whole visible text and attribute values (shadow roots included), for searching a key. */
export async function frameText(frame: Frame): Promise<string> {
  return frame
    .evaluate(() => {
      const parts: string[] = [document.documentElement?.innerText ?? ''];
      const stack: (Element | ShadowRoot)[] = document.documentElement ? [document.documentElement] : [];
      while (stack.length) {
        const node = stack.pop()!;
        for (const e of Array.from(node.children)) {
          for (const a of Array.from(e.attributes)) parts.push(a.value);
          if (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement) parts.push(e.value);
          if (e.shadowRoot) stack.push(e.shadowRoot);
          stack.push(e);
        }
      }
      return parts.join('\n');
    })
    .catch(() => '');
}


/**
 * Changes a user setting the way a person does, in the Settings editor (edits made to settings.json from
 * outside are not picked up by a running code-server window), then closes the editor.
 */
export async function setSettingInUi(wb: Workbench, key: string, value: string): Promise<void> {
  await wb.runCommand('Preferences: Open User Settings');
  const input = wb.page.locator(`.settings-editor .setting-item-contents[data-key="${key}"] input`).first();
  await wb.page.locator('.settings-editor').first().waitFor({ state: 'visible', timeout: 20_000 });
  await wb.page.keyboard.type(key);
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  // No Tab after it: that leaves the focus on the setting's gear button, where F1 is not heard.
  await input.fill(value);
  // The Settings editor writes a moment after the last keystroke.
  await waitUntil(`${key} to be saved`, async () => (JSON.parse(fs.readFileSync(userSettingsFile(wb), 'utf8')) as Record<string, unknown>)[key] === value, 15_000);
  await wb.runCommand('View: Close All Editors');
}
