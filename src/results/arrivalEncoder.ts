import { COLUMNS, columnsForRows } from '../core/columns';
import { MAX_EXTRA_COLUMNS } from '../core/extras';
import { TableEncoder } from '../core/tableEncoder';
import type { Click } from '../core/types';

// Fetch all's pages encoded for the grid while the next page is on its way. A page is not encoded
// where it arrives: that would hold Fetch all's next request back by the encode (tens of ms per
// 5,000 clicks). It is queued and encoded on the next turn of the event loop, by when the next
// request has gone out, so the work fills the wait for its answer.

export class ArrivalEncoder {
  /** The catalogue's columns and one per unknown field (up to the grid's limit) of each page. */
  readonly encoder = new TableEncoder((page) => columnsForRows(page).columns, COLUMNS.length + MAX_EXTRA_COLUMNS);
  private readonly queue: (readonly Click[])[] = [];
  private scheduled: ReturnType<typeof setImmediate> | undefined;
  /** Time spent encoding pages, in ms (the bench and the log report it: the work did not vanish). */
  encodeMs = 0;
  /** Called after pages were encoded (the grid panel posts them to the webview as a piece then). */
  onEncoded: (() => void) | undefined;

  /** Takes a page as Fetch all keeps it (its onRows). */
  readonly add = (rows: readonly Click[]): void => {
    this.queue.push(rows);
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.drain();
    });
  };

  /** Encodes what is queued now (before the table is finished). */
  drain(): TableEncoder {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const t0 = performance.now();
    let pages = 0;
    for (let page = this.queue.shift(); page; page = this.queue.shift(), pages++) this.encoder.append(page);
    this.encodeMs += performance.now() - t0;
    if (pages > 0) this.onEncoded?.();
    return this.encoder;
  }

  /** Lets go of the queue when nothing will finish it (the fetch failed or the panel closed). */
  dispose(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.queue.length = 0;
    this.onEncoded = undefined;
  }
}
