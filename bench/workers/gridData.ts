// The messages the stand-in host posts to the webviews in the grid benchmark (section 2), written
// as JSON files the page fetches before its clock starts.
//
//   node out/bench/gridData.cjs <clicks-100000.json> <outDir>   → prints what it wrote
//
// The results grid gets its `init` exactly as src/webviews/resultGridPanel.ts builds it (flattened,
// packed). The toolkit baseline gets the same rows in the shape vscode-data-grid takes: one object
// per row keyed by column header, with the grid's default columns as text, already formatted (so
// the baseline does less work in the page than the real grid, which formats as it renders).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellText, defaultColumns } from '../../src/core/columns';
import { parseStreamResponse } from '../../src/core/parse';
import { encodeRows } from '../../src/core/tableEncoder';
import { flattenRows } from '../../src/core/flatten';
import { packTable } from '../../src/core/tablePack';
import { columnsForRows } from '../../src/core/columns';
import type { Click } from '../../src/core/types';
import { scaleTo } from '../lib/replicate';
import { DAY } from '../lib/sandboxDay';

const ZONE = 'America/New_York';

/** `columns`: the table's columns when they are not the rows' own (the empty grid keeps the 5,000 rows'). */
function gridInit(rows: Click[], columns = columnsForRows(rows).columns): unknown {
  const request = { kind: 'stream', from: `${DAY} 00:00:00`, to: `${DAY} 23:59:59`, timezone_id: 67, timezone: 'UTC', fetched_at: new Date(0).toISOString(), rows: rows.length };
  return {
    type: 'init',
    init: { resultId: `bench-${rows.length}`, title: `${rows.length} clicks`, request, zone: ZONE, table: encodeRows(rows, columns), canFetchAll: false, maxRows: 1_000_000 },
  };
}

/** The packed-JSON `init` of the builds before the binary table (the --base-ref page). */
function packedInit(rows: Click[]): unknown {
  const msg = gridInit(rows) as { init: Record<string, unknown> };
  return { ...msg, init: { ...msg.init, table: packTable(flattenRows(rows)) } };
}

function toolkitRows(rows: Click[]): unknown {
  const cols = defaultColumns();
  return {
    type: 'rows',
    columns: cols.map((c) => c.header),
    rows: rows.map((r) => Object.fromEntries(cols.map((c) => [c.header, cellText(c, r, { zone: ZONE })]))),
  };
}

function main(): void {
  const [file, outDir] = process.argv.slice(2);
  mkdirSync(outDir, { recursive: true });
  const all = parseStreamResponse(JSON.parse(readFileSync(file, 'utf8')), Infinity).rows;
  // Typed arrays go to a .bin beside the JSON, referenced by offset; bench/grid/host.ts puts them back
  // before posting, so the page gets the message as VS Code delivers it (typed arrays, not JSON).
  const write = (name: string, value: unknown): string => {
    const parts: Buffer[] = [];
    let at = 0;
    const json = JSON.stringify(value, (_k, v: unknown) => {
      if (!ArrayBuffer.isView(v)) return v;
      const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      const ref = { $typed: v.constructor.name, offset: at, length: v.byteLength };
      const padded = Math.ceil(v.byteLength / 8) * 8;
      parts.push(bytes, Buffer.alloc(padded - v.byteLength));
      at += padded;
      return ref;
    });
    const bin = parts.length > 0 ? name.replace(/\.json$/, '.bin') : undefined;
    if (bin) writeFileSync(join(outDir, bin), Buffer.concat(parts));
    writeFileSync(join(outDir, name), bin ? JSON.stringify({ $binary: bin, message: JSON.parse(json) }) : json);
    return name;
  };
  const out = {
    grid5000: write('grid-5000.json', gridInit(all.slice(0, 5000))),
    // The floor: the same page, CSP, styles and columns with no rows (toolbar, summary, headers).
    grid0: write('grid-0.json', gridInit([], columnsForRows(all.slice(0, 5000)).columns)),
    grid5000Packed: write('grid-5000-packed.json', packedInit(all.slice(0, 5000))),
    grid100000: write('grid-100000.json', gridInit(all)),
    grid1000000: write('grid-1000000.json', gridInit(scaleTo(all, 1_000_000))),
    toolkit5000: write('toolkit-5000.json', toolkitRows(all.slice(0, 5000))),
    // A search for one id near the end of the day: every row is scanned and one is left.
    searchId: all[Math.floor(all.length * 0.777)].transaction_id,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
