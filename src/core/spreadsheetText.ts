// OWASP's CSV-injection rule, in its own module so that the webview (chart TSV) and the exporters
// share it without the webview pulling in csv-stringify, which needs Node's Buffer.

/**
 * A cell that a spreadsheet would read as a formula (or as a DDE call) starts with `=`, `+`, `-`, `@`, a
 * tab or a carriage return; a leading `'` makes Excel, Sheets and LibreOffice show it as text. Applied to
 * text only: a real negative number in a numeric column must stay a number people can sum.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
