// Attacker-controlled text. Sub ids, referer, tracking URL, coupon code and query parameters are set by
// whoever clicks a tracking link, so a real account sees this kind of thing. The extension renders rows
// in webviews, hovers, markdown, CSV and JSON exports; every one of these strings breaks at least one of
// those if it is not escaped or neutralised. A small fraction of rows carry them, and one row per day
// (see `hostileSampleId`) carries all of them at once.

export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_IMG = '<img src=x onerror=alert(1)>';
export const XSS_ATTR = '"><svg onload=alert(1)>';
export const CLOSE_SCRIPT = '</script>';
export const MD_COMMAND_LINK = '[click me](command:workbench.action.quit)';
export const MD_IMAGE = '![x](https://evil.example/x.png)';
export const COMMAND_URI = 'command:workbench.action.quit';
export const JS_URI = 'javascript:alert(1)';
/** U+202E reverses the rest of the line on screen: "invoice‮fdp.exe" displays as "invoiceexe.pdf". */
export const BIDI = 'invoice\u202Efdp.exe';
/** U+200B is invisible: looks like "paypal" but is not equal to it. */
export const ZERO_WIDTH = 'pay\u200Bpal';
export const EMOJI_COMBINING = '🔥👩‍💻 Z\u0335\u0322a\u0338l\u0334g\u0336o e\u0301';
export const FORMULA_HYPERLINK = '=HYPERLINK("http://evil.example","click")';
export const FORMULA_PLUS = '+1+1';
export const FORMULA_MINUS = '-2+3';
export const FORMULA_AT = '@SUM(A1)';

/** About 100 KB on one line: tests truncation in tables, hovers and logs. */
export const LONG_STRING = buildLong();

function buildLong(): string {
  const unit = 'very-long-sub-value-0123456789-';
  return ('LONG:' + unit.repeat(Math.ceil(100_000 / unit.length))).slice(0, 100_000);
}

/** Short hostile values; these also join the sub id and coupon pools so they can be filtered on. */
export const HOSTILE_SHORT: readonly string[] = [
  XSS_SCRIPT, XSS_IMG, XSS_ATTR, CLOSE_SCRIPT, MD_COMMAND_LINK, MD_IMAGE, COMMAND_URI, JS_URI,
  BIDI, ZERO_WIDTH, EMOJI_COMBINING, FORMULA_HYPERLINK, FORMULA_PLUS, FORMULA_MINUS, FORMULA_AT,
];

/** The values the one all-hostile row per day uses for its filterable fields (sub1–sub5, coupon). */
export const FULL_HOSTILE_SUBS: readonly string[] = [XSS_SCRIPT, MD_COMMAND_LINK, FORMULA_HYPERLINK, BIDI + ' ' + ZERO_WIDTH, XSS_ATTR];
export const FULL_HOSTILE_COUPON = FORMULA_PLUS;

export interface HostileText {
  referer: string;
  trackingUrl: string;
  offerName: string;
  cityName: string;
  queryParameters: Record<string, string>;
}

/** The non-filterable hostile fields of the all-hostile row. */
export function fullHostileText(): HostileText {
  return {
    referer: JS_URI,
    trackingUrl: `${COMMAND_URI}?${encodeURIComponent('["x"]')}`,
    offerName: `${XSS_IMG} ${MD_IMAGE} ${EMOJI_COMBINING}`,
    cityName: `${CLOSE_SCRIPT}${ZERO_WIDTH} ${EMOJI_COMBINING}`,
    queryParameters: {
      q: XSS_SCRIPT,
      md: MD_COMMAND_LINK,
      img: MD_IMAGE,
      cmd: COMMAND_URI,
      f1: FORMULA_MINUS,
      f2: FORMULA_AT,
      bidi: BIDI,
      '<b>key</b>': XSS_ATTR,
      long: LONG_STRING,
    },
  };
}

/**
 * A partially hostile row: a few fields get one hostile value each, chosen by `pick` (0 ≤ pick() < 1).
 * The 100 KB string shows up in about one such row in eight, so 5,000-row responses stay a sane size.
 */
export function partialHostileText(pick: () => number, base: HostileText): HostileText {
  const any = (): string => HOSTILE_SHORT[Math.floor(pick() * HOSTILE_SHORT.length)];
  const out: HostileText = { ...base, queryParameters: { ...base.queryParameters } };
  if (pick() < 0.5) out.referer = any();
  if (pick() < 0.3) out.trackingUrl = pick() < 0.5 ? JS_URI : COMMAND_URI;
  if (pick() < 0.2) out.offerName = `${base.offerName} ${any()}`;
  if (pick() < 0.2) out.cityName = `${base.cityName}${any()}`;
  if (pick() < 0.6) out.queryParameters.utm_content = any();
  if (pick() < 0.125) out.queryParameters.long = LONG_STRING;
  return out;
}
