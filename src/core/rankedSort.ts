// Sorting a million row indices within the grid's half-second budget. A comparison sort with a
// comparator is about twenty million calls at that size; instead each row gets an integer rank (the
// place of its value among the column's distinct values, ties sharing one) and the rows are then
// placed by a counting sort, which is stable. Both functions give exactly the order of the grid's
// comparator: by value, ties by row index, in either direction.

/** Rows into ascending index order first, so the stable placement breaks ties by row index. */
function ascending(rows: number[]): void {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1] > rows[i]) {
      const sorted = Float64Array.from(rows).sort();
      for (let j = 0; j < rows.length; j++) rows[j] = sorted[j];
      return;
    }
  }
}

/** Places `rows` in place by `key(r)` (0 ≤ key ≤ maxKey), stable. */
function countingSort(rows: number[], key: (r: number) => number, maxKey: number): void {
  const starts = new Uint32Array(maxKey + 2);
  const keys = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const k = key(rows[i]);
    keys[i] = k;
    starts[k + 1]++;
  }
  for (let k = 1; k < starts.length; k++) starts[k] += starts[k - 1];
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[starts[keys[i]]++] = rows[i];
  for (let i = 0; i < rows.length; i++) rows[i] = out[i];
}

/**
 * Sorts row indices of a numbered column: `codes[r]` is row r's value among `size` distinct ones,
 * which `compare` orders (0 for values that sort as equal).
 */
export function rankedSort(rows: number[], codes: ArrayLike<number>, size: number, compare: (x: number, y: number) => number, asc: boolean): void {
  const order = Array.from({ length: size }, (_, k) => k).sort((x, y) => compare(x, y) || x - y);
  const rank = new Uint32Array(size);
  let r = 0;
  for (let i = 0; i < order.length; i++) {
    if (i > 0 && compare(order[i - 1], order[i]) !== 0) r++;
    rank[order[i]] = r;
  }
  const top = r;
  ascending(rows);
  countingSort(rows, asc ? (row) => rank[codes[row]] : (row) => top - rank[codes[row]], top);
}

/** Sorts row indices by a column of numbers (no NaN), by rank among its distinct values. */
export function numericSort(rows: number[], values: readonly number[], asc: boolean): void {
  const sorted = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) sorted[i] = values[rows[i]];
  sorted.sort();
  // Distinct values, -0 and 0 as one (the comparator's difference is 0 for them).
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (n === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i];
  const distinct = sorted.subarray(0, n);
  const rankOf = (v: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const top = Math.max(0, n - 1);
  ascending(rows);
  countingSort(rows, asc ? (row) => rankOf(values[row]) : (row) => top - rankOf(values[row]), top);
}
