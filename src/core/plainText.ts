// Messages shown in notifications are plain text with one exception: VS Code turns
// `[label](https://…)`, `[label](file:…)` and `[label](command:…)` into links, and a command link runs
// the command when clicked (the toast only shows its label). Messages carry text from servers,
// proxies and shared files (an Everflow error message, an HTML error page, a saved query's name), so
// every message is passed through `defuseLinks` before it is shown.

/** The pattern VS Code's notifications use to find links (workbench `notifications.ts`). */
export const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/**
 * `text` with every `](` written as `] (`, which no link syntax accepts; everything else is kept,
 * so the reader still sees what the server or file said.
 */
export function defuseLinks(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
