// Which hover languages VS Code will wake the extension for, and what to tell the user about the others.
// Activation events are static (package.json): a language added to `everflow.hover.languages` gets hovers
// in any window where the extension is already active, but does not by itself start the extension in a
// new window. The user hears that once per language. No vscode import, so plain node tests read it.

/** globalState key: the language ids the user has already been told about. */
export const NOTICED_LANGUAGES_KEY = 'everflow.hover.undeclaredLanguagesNoticed';

/** The language ids of the `onLanguage:<id>` activation events in a package.json's `activationEvents`. */
export function declaredLanguages(activationEvents: unknown): string[] {
  if (!Array.isArray(activationEvents)) return [];
  const ids = activationEvents
    .filter((e): e is string => typeof e === 'string' && e.startsWith('onLanguage:'))
    .map((e) => e.slice('onLanguage:'.length))
    .filter((id) => id !== '');
  return [...new Set(ids)];
}

/**
 * The configured languages that no activation event covers and that the user has not been told about,
 * each once, in the setting's order. Language ids are case-sensitive in VS Code, so they are compared
 * as they are.
 */
export function languagesToNotice(configured: readonly string[], declared: readonly string[], noticed: readonly string[]): string[] {
  const skip = new Set([...declared, ...noticed]);
  const out: string[] = [];
  for (const id of configured) {
    if (skip.has(id)) continue;
    skip.add(id);
    out.push(id);
  }
  return out;
}

/** Language ids come from a settings file: shown quoted, shortened and without control characters. */
function quoted(id: string): string {
  const clean = id.replace(/[\p{Cc}\p{Cf}]/gu, '');
  return `"${clean.length > 40 ? `${clean.slice(0, 39)}…` : clean}"`;
}

/** The one-time message for `languages` (non-empty), naming what the extension does declare. */
export function languageNoticeText(languages: readonly string[], declared: readonly string[]): string {
  const names = languages.map(quoted);
  // `Log` (capital L) is the language of the Output panel's plain channels; `log` that of log files.
  const declaredText = declared.map((id) => (id === 'Log' ? 'Log (Output panel channels)' : id)).join(', ');
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return (
    `Transaction-ID hovers in ${list} documents work in this window. In a new window they start once the Everflow extension ` +
    `is active (open the Everflow sidebar or run any Everflow command): VS Code wakes an extension by itself only for ` +
    `the languages it declares, and Everflow declares ${declaredText}.`
  );
}
