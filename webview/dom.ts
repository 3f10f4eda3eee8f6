// DOM helpers for every webview. API data is typed by strangers, so elements are built with
// `textContent` only: no innerHTML, no attribute that can run script, nothing parsed as markup.

type Attrs = Record<string, string | number | boolean | undefined>;

/** Attribute names that could run script or load a URL; never set from here. */
const UNSAFE_ATTR = /^(on|href$|src$|srcdoc$|formaction$|action$|style$)/i;

/** Creates `<tag>` with plain-text content and safe attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (UNSAFE_ATTR.test(name)) throw new Error(`refusing to set attribute "${name}"`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Replaces an element's children with plain text. */
export function setText(node: Element, text: string): void {
  node.textContent = text;
}
