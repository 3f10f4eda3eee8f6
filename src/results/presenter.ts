import * as vscode from 'vscode';
import { showInfo } from '../notifications';
import * as config from '../config';
import { DocumentTooLargeError, type ResultDocuments } from './resultDocuments';
import type { ResultSet } from './resultSet';

export type { FetchAllMeta, ResultRequestMeta, ResultSet } from './resultSet';

/** Opens a result in the grid (src/webviews/resultGrids.ts); an interface so this file stays small. */
export interface GridOpener {
  open(result: ResultSet): Promise<void>;
}

/**
 * Where results open. Every command that produces clicks calls this, so the choice between the grid
 * and a JSON document (the `everflow.results.openIn` setting: grid, json or ask) lives in one place.
 */
export class ResultPresenter {
  constructor(
    private readonly documents: ResultDocuments,
    private readonly grid?: GridOpener,
  ) {}

  async show(result: ResultSet): Promise<void> {
    let where = config.resultsOpenIn();
    if (where === 'ask') {
      const pick = await vscode.window.showQuickPick(
        [
          { label: '$(table) Grid', description: 'sort, filter, group, copy and export', where: 'grid' as const },
          { label: '$(json) JSON document', description: 'read-only, with the request beside the rows', where: 'json' as const },
        ],
        { title: `Open ${result.rows.length.toLocaleString('en-US')} row(s) of "${result.title}"`, placeHolder: 'Where should the result open? (setting: everflow.results.openIn)' },
      );
      if (!pick) return;
      where = pick.where;
    }
    if (where === 'json') await this.showJson(result);
    else await this.showGrid(result);
  }

  /** The results grid; without one (never in the extension, only in a bare test setup) the JSON document. */
  async showGrid(result: ResultSet): Promise<void> {
    if (this.grid) await this.grid.open(result);
    else await this.showJson(result);
  }

  /**
   * The result as a read-only JSON document. One too big for a document (over 50 MB, some 17,000
   * clicks) opens in the grid instead, with a note, unless `fallBackToGrid` is false (the grid asks).
   */
  async showJson(result: ResultSet, fallBackToGrid = true): Promise<void> {
    try {
      await this.documents.openResult(result);
    } catch (e) {
      if (!(e instanceof DocumentTooLargeError) || !fallBackToGrid || !this.grid) throw e;
      await this.grid.open(result);
      void showInfo(`"${result.title}" opened in the grid: ${e.message} Export it to JSON from the grid to get the file.`);
    }
  }
}
