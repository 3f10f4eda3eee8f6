// The JS sampling profile inside a Chromium performance trace (category
// `disabled-by-default-v8.cpu_profiler`: one `Profile` event, then `ProfileChunk` events with nodes,
// samples and time deltas), summarised as self time per function over an interval. The bench serves a
// minified bundle, so a function is named by where it starts in the sources, read through a source map
// of the same bundle built beside it (mapBundle), when the two are byte-identical.
import fs from 'node:fs';

const B64 = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Source-map v3 `mappings` decoded to, per generated line, [column, source, line] sorted by column. */
function decodeMappings(map) {
  const lines = [];
  let source = 0;
  let line = 0;
  let _srcCol = 0; // the source column: decoded to keep the running sums right, not reported
  for (const text of map.mappings.split(';')) {
    const segs = [];
    let gen = 0;
    for (const seg of text ? text.split(',') : []) {
      const v = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const digit = B64[ch];
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          v.push(value & 1 ? -(value >>> 1) : value >>> 1);
          shift = 0;
          value = 0;
        }
      }
      gen += v[0];
      if (v.length >= 4) {
        source += v[1];
        line += v[2];
        _srcCol += v[3];
        segs.push([gen, source, line]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/**
 * A resolver from a position in `bundleFile` (0-based line and column, as V8 reports them) to
 * `source:line` (1-based), when `mapFile` maps a bundle with the same code; undefined otherwise.
 */
export function mapBundle(bundleFile, builtJs, mapFile) {
  const strip = (s) => s.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '').trimEnd();
  if (!fs.existsSync(bundleFile) || !fs.existsSync(mapFile) || strip(fs.readFileSync(bundleFile, 'utf8')) !== strip(builtJs)) return undefined;
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
  const lines = decodeMappings(map);
  // Packages by their path inside node_modules, the project's files from webview/ or src/.
  const sources = map.sources.map((s) => (s.includes('node_modules/') ? s.replace(/^.*node_modules\//, '') : s.replace(/^.*?\/?((?:webview|src)\/)/, '$1')));
  return (line, column) => {
    const segs = lines[line] ?? [];
    let lo = 0;
    let hi = segs.length - 1;
    let hit;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid][0] <= column) {
        hit = segs[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return hit ? `${sources[hit[1]]}:${hit[2] + 1}` : undefined;
  };
}

/**
 * Self time (ms) by function and by source file of the samples taken on thread `pid`/`tid` between
 * `from` and `to` (trace microseconds). `resolve(url, line, column)` names a position, or undefined.
 */
export function profileSelfTime(events, pid, tid, from, to, resolve, top = 15) {
  const profiles = new Map();
  for (const e of events) {
    if (e.pid !== pid) continue;
    // The Profile event is on the profiled thread; its chunks come from V8's profiler thread, by id.
    if (e.name === 'Profile' && (tid === undefined || e.tid === tid)) profiles.set(e.id, { t: e.args?.data?.startTime ?? e.ts, nodes: new Map(), samples: [] });
    else if (e.name === 'ProfileChunk' && profiles.has(e.id)) {
      const p = profiles.get(e.id);
      const data = e.args?.data ?? {};
      for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, { ...n.callFrame, parent: n.parent });
      const ids = data.cpuProfile?.samples ?? [];
      const deltas = data.timeDeltas ?? [];
      for (let i = 0; i < ids.length; i++) {
        p.t += deltas[i] ?? 0;
        p.samples.push([p.t, ids[i]]);
      }
    }
  }
  const byFunction = new Map();
  const byFile = new Map();
  let sampled = 0;
  for (const p of profiles.values()) {
    p.samples.sort((a, b) => a[0] - b[0]);
    for (let i = 0; i + 1 < p.samples.length; i++) {
      const [t, id] = p.samples[i];
      if (t < from || t > to) continue;
      const dt = (Math.min(p.samples[i + 1][0], to) - t) / 1000;
      const f = p.nodes.get(id) ?? {};
      const name = f.functionName || (f.url ? '(anonymous)' : '(program)');
      const whereOf = (g) => (resolve(g.url, g.lineNumber, g.columnNumber) ?? `${g.url.replace(/^https?:\/\/[^/]+/, '')}:${g.lineNumber + 1}:${g.columnNumber + 1}`);
      let where = f.url ? whereOf(f) : '';
      // A built-in (getBoundingClientRect, setAttribute) is named with the script function that called
      // it: a forced style or layout shows as the built-in's self time.
      let caller = f.url ? undefined : p.nodes.get(f.parent);
      while (caller && !caller.url) caller = p.nodes.get(caller.parent);
      if (caller) where = `← ${caller.functionName || '(anonymous)'} ${whereOf(caller)}`;
      const key = where ? `${name} ${where}` : name;
      byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
      const file = f.url ? where.replace(/:\d+(:\d+)?$/, '') : caller ? '(built-ins called from script)' : name;
      byFile.set(file, (byFile.get(file) ?? 0) + dt);
      sampled += dt;
    }
  }
  const list = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => ({ [k]: Math.round(ms * 10) / 10 }));
  if (!profiles.size) return { error: 'no ProfileChunk events on the main thread' };
  return { sampledMs: Math.round(sampled * 10) / 10, topSelf: list(byFunction), byFile: list(byFile) };
}
