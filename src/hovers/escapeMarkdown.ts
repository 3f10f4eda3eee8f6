// Click values are attacker-controlled: whoever clicks a tracking link sets sub1–sub5, the referer,
// the query parameters, and an offer or city name can hold anything too. A hover renders markdown
// with command links enabled for this extension's own commands, so a value that became markdown
// could draw a link that runs one of them, show a remote image (a tracking pixel), or forge a line
// of the card. Everything from the API goes through `escapeMarkdown` before it meets the markdown.
//
// No 'vscode' import: the unit tests run this in plain node.

/** Longest value a hover shows, in characters, before it is cut with "…". */
export const DEFAULT_MAX_VALUE_LENGTH = 80;

/**
 * Every ASCII punctuation character. CommonMark lets a backslash escape any of them and then reads
 * the character as plain text, so escaping all of them (not only the ones that matter today) also
 * breaks the GFM autolinks that need `:`, `.` or `@`, entities (`&`), tables (`|`) and raw HTML.
 */
const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** Line breaks of every kind; a value must stay on its line of the card. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;

/**
 * Characters that change how text around them is shown without showing themselves: bidi overrides
 * and isolates (U+202E turns "invoice<U+202E>fdp.exe" into "invoiceexe.pdf" on screen), zero-width and
 * invisible characters (U+200B makes "pay<U+200B>pal" differ from "paypal" unseen), the soft hyphen and
 * the BOM. They are shown as their code point so a reader sees they are there. (Emoji variation
 * selectors are left alone: they only pick how an emoji is drawn.)
 */
// The Hangul and Khmer fillers are listed outside the class: next to each other they would combine.
const INVISIBLE = /\u115f|\u1160|\u17b4|\u17b5|[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]/g;

/** Other control characters (C0 and C1, tab included) become a plain space. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Zalgo text stacks hundreds of combining marks that spill over the lines above and below. */
const MARK_RUNS = /(\p{M}{2})\p{M}+/gu;

const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const ZWJ = '\u200d';

export interface EscapeOptions {
  /** Cut longer values to this many characters plus "…"; default `DEFAULT_MAX_VALUE_LENGTH`. */
  maxLength?: number;
}

/**
 * `value` as markdown that renders as exactly its text, on one line: no link, image, HTML, emphasis,
 * heading, table cell break or code span can come out of it. Long values are cut with "…";
 * invisible and direction-changing characters are shown as ‹U+XXXX›.
 */
export function escapeMarkdown(value: unknown, opts: EscapeOptions = {}): string {
  return escapeText(visibleText(value, opts));
}

/**
 * The plain text a hover shows for `value` (cut, one line, invisible characters made visible),
 * before markdown escaping. Exposed so copies and tests can see the same text.
 */
export function visibleText(value: unknown, opts: EscapeOptions = {}): string {
  const max = Math.max(1, Math.floor(opts.maxLength ?? DEFAULT_MAX_VALUE_LENGTH));
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // Cut before the regular expressions run: a 100 KB sub id must cost no more than a short one.
  // Each visible character below comes from at most a few UTF-16 units of input.
  // A high surrogate left at the cut would render as a replacement box, so it goes too.
  const head = text.length > max * 8 ? text.slice(0, max * 8).replace(/[\ud800-\udbff]$/, '') : text;
  const cleaned = head
    .replace(LINE_BREAKS, ' ↵ ')
    .replace(CONTROLS, ' ')
    .replace(MARK_RUNS, '$1')
    .replace(INVISIBLE, (ch, offset: number, whole: string) => (ch === ZWJ && joinsPictographs(whole, offset) ? ch : codePointLabel(ch)));
  // By code point, so the cut never splits a surrogate pair.
  const chars = Array.from(cleaned);
  if (chars.length <= max && head.length === text.length) return cleaned;
  return chars.slice(0, max).join('').trimEnd() + '…';
}

/** Backslash-escapes every ASCII punctuation character. */
export function escapeText(text: string): string {
  return text.replace(ASCII_PUNCTUATION, (ch) => `\\${ch}`);
}

/** Keeps the zero-width joiner inside emoji sequences such as 👩‍💻, where it is what it looks like. */
function joinsPictographs(text: string, offset: number): boolean {
  let i = offset - 1;
  // ❤️‍🔥 has a variation selector between the heart and the joiner.
  if (text[i] === '\ufe0f') i--;
  const unit = text.charCodeAt(i);
  if (unit >= 0xdc00 && unit <= 0xdfff) i--;
  const isPicto = (cp: number | undefined): boolean => cp !== undefined && PICTOGRAPH.test(String.fromCodePoint(cp));
  return i >= 0 && isPicto(text.codePointAt(i)) && isPicto(text.codePointAt(offset + 1));
}

function codePointLabel(ch: string): string {
  return `‹U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}›`;
}
