import * as os from 'os';
import { showInfo, showWarning } from '../notifications';
import * as path from 'path';
import * as vscode from 'vscode';
import { columnsByIds, columnsForRows, type ColumnDef } from '../core/columns';
import { clicksAsJson, metaSidecar, toCsv, toJson, toMarkdown, toTsv, type ExportMeta } from '../core/exporters';
import type { Click } from '../core/types';
import type { CopyFormat, ExportFormat, RowScope } from '../protocol/results';
import { DocumentTooLargeError, type ResultDocuments } from '../results/resultDocuments';
import { asConversions, conversionsResultColumns, gridRows, isConversionsResult } from '../results/conversionsResult';
import type { ResultRequestMeta, ResultSet } from '../results/resultSet';

// What the grid asks the host to do with rows: copy them (the host writes the clipboard, which a
// webview cannot do reliably), export them through a save dialog, open them as a JSON document, and
// look a click up again. The webview names rows by index and columns by id; the host builds every
// text from the full clicks it holds, with the exporters in src/core.

export function pickRows(result: ResultSet, scope: RowScope): Click[] {
  const all = gridRows(result);
  if (scope === 'all') return all;
  return scope.filter((i) => i < all.length).map((i) => all[i]);
}

/** Rows as JSON values: clicks as exported, a conversions result's rows as the normalised conversions they are. */
function rowsAsJson(result: ResultSet, rows: readonly Click[]): unknown[] {
  return isConversionsResult(result) ? asConversions(rows) : clicksAsJson(rows);
}

/** The columns named (in that order), or every column the rows have (unknown fields too) when none is known. */
function columnsOf(ids: readonly string[], rows: readonly Click[], result?: ResultSet): ColumnDef[] {
  const cols = columnsByIds(ids);
  if (cols.length) return cols;
  if (result && isConversionsResult(result)) return conversionsResultColumns();
  return columnsForRows(rows, { conversions: result?.conversions !== undefined }).columns;
}

export async function copyRows(result: ResultSet, zone: string, format: CopyFormat, rows: number[], columns: string[]): Promise<number> {
  const picked = pickRows(result, rows);
  const cols = columnsOf(columns, picked, result);
  const text = format === 'tsv' ? toTsv(picked, cols, zone) : format === 'markdown' ? toMarkdown(picked, cols, zone) : `${JSON.stringify(rowsAsJson(result, picked), null, 2)}\n`;
  await vscode.env.clipboard.writeText(text);
  const what = format === 'tsv' ? 'TSV (with headers)' : format === 'markdown' ? 'a Markdown table' : 'JSON';
  vscode.window.setStatusBarMessage(`Copied ${picked.length.toLocaleString('en-US')} row(s) as ${what}`, 4000);
  return picked.length;
}

export async function copyText(text: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  const lines = text.split('\n').length;
  vscode.window.setStatusBarMessage(lines > 1 ? `Copied ${lines.toLocaleString('en-US')} lines` : 'Copied the cell', 3000);
}

/** The ExportMeta of a stream result (the query, for the sidecar and the JSON's `request`). */
function streamExportMeta(request: ResultRequestMeta, rows: number, filtered: boolean): ExportMeta | undefined {
  if (request.kind !== 'stream' || !request.from || !request.to || request.timezone_id === undefined) return undefined;
  return {
    from: request.from,
    to: request.to,
    timezone_id: request.timezone_id,
    timezone: request.timezone,
    filters: request.filters ?? [],
    exclusions: request.exclusions ?? [],
    logic: request.logic ?? '',
    account: request.account,
    fetched_at: request.fetched_at,
    rows,
    // A file of grid-filtered rows holds fewer clicks than matched, just as a capped one does.
    truncated: Boolean(request.truncated) || filtered,
    ...(request.partial ? { partial: true } : {}),
  };
}

/** For look-ups: the request meta as recorded (it never holds the key), with the exported row count. */
function lookupMeta(request: ResultRequestMeta, rows: number): ResultRequestMeta {
  return { ...request, rows };
}

function defaultUri(title: string, ext: string): vscode.Uri {
  const base = title.replace(/[^\p{L}\p{N} ._()+,=@-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'clicks';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, `${base}.${ext}`) : vscode.Uri.file(path.join(os.homedir(), `${base}.${ext}`));
}

export interface ExportOutcome {
  file: string;
  rows: number;
  sidecar?: string;
}

/**
 * Writes the rows to a file the user picks: CSV (UTF-8 with BOM, formulas neutralised, the query in
 * `<file>.meta.json` beside it so the CSV stays plain CSV) or JSON (`{ request, clicks }`).
 */
export async function exportRows(result: ResultSet, zone: string, format: ExportFormat, scope: RowScope, columns: string[]): Promise<ExportOutcome | undefined> {
  const rows = pickRows(result, scope);
  const filtered = scope !== 'all' && rows.length < gridRows(result).length;
  const target = await vscode.window.showSaveDialog({
    title: `Export ${rows.length.toLocaleString('en-US')} row(s) to ${format.toUpperCase()}`,
    defaultUri: defaultUri(result.title, format),
    filters: format === 'csv' ? { 'CSV (comma-separated)': ['csv'] } : { JSON: ['json'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  const meta = streamExportMeta(result.request, rows.length, filtered);
  const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  let sidecar: vscode.Uri | undefined;
  if (format === 'csv') {
    await write(target, toCsv(rows, columnsOf(columns, rows, result), { zone }));
    sidecar = target.with({ path: `${target.path}.meta.json` });
    await write(sidecar, meta ? metaSidecar(meta) : `${JSON.stringify(lookupMeta(result.request, rows.length), null, 2)}\n`);
  } else {
    const body = isConversionsResult(result) ? { request: lookupMeta(result.request, rows.length), conversions: rowsAsJson(result, rows) } : { request: lookupMeta(result.request, rows.length), clicks: clicksAsJson(rows) };
    await write(target, meta ? toJson(rows, meta) : `${JSON.stringify(body, null, 2)}\n`);
  }
  const name = path.basename(target.fsPath);
  const extra = sidecar ? ` (the query is in ${path.basename(sidecar.fsPath)})` : '';
  void showInfo(`Exported ${rows.length.toLocaleString('en-US')} row(s) to ${name}${extra}.`, 'Reveal').then((c) => {
    if (c) void vscode.commands.executeCommand('revealFileInOS', target);
  });
  return { file: target.fsPath, rows: rows.length, ...(sidecar ? { sidecar: sidecar.fsPath } : {}) };
}

/**
 * "Save chart as PNG/SVG" from the summary: the webview drew the chart (PNG bytes in base64, or SVG text
 * with every label escaped); the host only asks where and writes the bytes, never reading them.
 */
export async function saveChart(resultTitle: string, chart: 'time' | 'breakdown', format: 'png' | 'svg', data: string): Promise<string | undefined> {
  const what = chart === 'time' ? 'clicks over time' : 'breakdown';
  const target = await vscode.window.showSaveDialog({
    title: `Save the ${what} chart as ${format.toUpperCase()}`,
    defaultUri: defaultUri(`${resultTitle} - ${what}`, format),
    filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
    saveLabel: 'Save',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, format === 'png' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8'));
  void showInfo(`Saved the ${what} chart to ${path.basename(target.fsPath)}.`, 'Reveal').then((c) => {
    if (c) void vscode.commands.executeCommand('revealFileInOS', target);
  });
  return target.fsPath;
}

/**
 * The rows as a read-only JSON document, with the request beside them. Rows too many for a document
 * (VS Code opens up to 50 MB) are offered as a JSON export instead; returns whether a document opened.
 */
export async function openRowsAsJson(documents: ResultDocuments, result: ResultSet, scope: RowScope, exportInstead: () => Promise<unknown>): Promise<boolean> {
  const rows = pickRows(result, scope);
  if (isConversionsResult(result)) {
    // Its conversions as they are, with the report's request; none of the clicks' look-up wording.
    const { rows: _all, exchanges, ...report } = result.conversions!;
    await documents.open(rows.length === 1 ? `conversion ${asConversions(rows)[0].conversion_id}` : result.title, { request: result.request, report, conversions: asConversions(rows), ...(exchanges ? { exchanges } : {}) });
    return true;
  }
  const whole = scope === 'all' || rows.length === result.rows.length;
  const title = rows.length === 1 ? `click ${rows[0].transaction_id}` : `${result.title} (${rows.length} rows)`;
  try {
    await documents.openResult(result, whole ? undefined : rows, whole ? result.title : title);
    return true;
  } catch (e) {
    if (!(e instanceof DocumentTooLargeError)) throw e;
    // Not awaited: the command ends now; the offer stays until the user gets to it.
    void showWarning(`${e.message} Export the ${rows.length.toLocaleString('en-US')} rows to a JSON file instead?`, 'Export to JSON…').then((c) => c && exportInstead());
    return false;
  }
}
