import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neutraliseFormula } from '../../../src/core/spreadsheetText';
import { flattenRows } from '../../../src/core/flatten';
import { summarize } from '../../../src/core/summary/aggregate';
import { breakdownSvg, histogramSvg, safeColor, xmlText, type ChartColors } from '../../../src/core/summary/chartSvg';
import { tsvText } from '../../../src/core/summary/chartTsv';
import { SummaryModel } from '../../../src/core/summary/model';
import { packTable } from '../../../src/core/tablePack';
import type { Click } from '../../../src/core/types';
import { click } from './gridFixtures';

// "Save chart as SVG": the file is well-formed XML whose only elements are the ones the builder writes,
// whatever the labels hold; the numbers drawn are the chart's.

const T0 = Date.UTC(2026, 2, 14, 12) / 1000;
const COLORS: ChartColors = { background: '#1e1e1e', foreground: '#cccccc', grid: 'rgba(255, 255, 255, 0.2)', lower: '#3794ff', upper: '#f14c4c' };
const ALLOWED = new Set(['svg', 'title', 'rect', 'text', 'line', 'g']);

/** A small XML check: tags balance, only the builder's elements, text and attributes hold no raw markup. */
function parseSvg(svg: string): { elements: string[]; texts: string[] } {
  const stack: string[] = [];
  const elements: string[] = [];
  const texts: string[] = [];
  const token = /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < svg.length && (m = token.exec(svg))) {
    at = token.lastIndex;
    if (m[5] !== undefined) {
      if (!m[5].trim()) continue;
      assert.ok(stack.length > 0, `text outside the root: ${m[5]}`);
      assert.doesNotMatch(m[5], /[<>]|&(?!(amp|lt|gt|quot|#39);)/, `raw markup in text: ${m[5]}`);
      texts.push(m[5].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
      continue;
    }
    const [, close, name, attrs, self] = m;
    assert.ok(ALLOWED.has(name), `element <${name}>`);
    assert.doesNotMatch(attrs, /\son/i, 'an event attribute');
    assert.doesNotMatch(attrs, /&(?!(amp|lt|gt|quot|#39);)/, `raw & in ${attrs}`);
    if (close) assert.equal(stack.pop(), name, `</${name}> closes another element`);
    else {
      elements.push(name);
      if (!self) stack.push(name);
    }
  }
  assert.equal(at, svg.length, `unparsed from ${at}: ${svg.slice(at, at + 60)}`);
  assert.deepEqual(stack, [], 'unclosed elements');
  return { elements, texts };
}

function modelOf(rows: Click[]): SummaryModel {
  return new SummaryModel(JSON.parse(JSON.stringify(packTable(flattenRows(rows)))), 'UTC');
}

/** What xmlText makes of HOSTILE's NUL, BEL and lone surrogate. */
const CLEAN = (t: string) => [...t].map((ch) => (ch === '\u0000' || ch === '\u0007' || ch === '\ud800' ? '\ufffd' : ch)).join('');
const HOSTILE = `</text><script>alert(1)</script><a href="javascript:x" onload='y'>&amp;\u0000\u0007\ud800`;

describe('chart as SVG', () => {
  it('escapes &<>"\' and replaces characters XML cannot hold', () => {
    assert.equal(xmlText(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&#39;f');
    assert.equal(xmlText('x\u0000y\u0008z\tw\ud800!'), 'x\ufffdy\ufffdz\tw\ufffd!');
    assert.equal(xmlText('😀'), '😀');
    assert.equal(safeColor('rgb(1, 2, 3)'), 'rgb(1, 2, 3)');
    assert.equal(safeColor('#abc'), '#abc');
    assert.equal(safeColor('red"/><script>', 'gray'), 'gray');
    assert.equal(safeColor('url(http://x)', 'gray'), 'gray');
  });

  it('draws the histogram: a bar per bucket with clicks, the counts in each bar\'s title', () => {
    const rows = [
      click({ unix_timestamp: T0 + 10, error_code: 2 }),
      click({ unix_timestamp: T0 + 70, is_unique: false }),
      click({ unix_timestamp: T0 + 75 }),
    ];
    const r = summarize(modelOf(rows), 'all', { window: { start: T0, end: T0 + 180 } });
    const svg = histogramSvg(r.histogram, { title: `Clicks over time — ${HOSTILE}`, colors: COLORS });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    const { elements, texts } = parseSvg(svg);
    assert.ok(!elements.includes('script') && !elements.includes('a'));
    assert.ok(texts.includes(`Clicks over time — ${CLEAN(HOSTILE)}`), 'the hostile title is kept as text');
    assert.ok(texts.includes('2026-03-14 12:00: 1 clicks, 0 valid, 1 with error'));
    assert.ok(texts.includes('2026-03-14 12:01: 2 clicks, 2 valid, 0 with error'));
    assert.ok(!texts.some((t) => t.startsWith('2026-03-14 12:02:')), 'an empty bucket has a bar');
    const uniques = parseSvg(histogramSvg(r.histogram, { title: 't', colors: COLORS, uniques: true })).texts;
    assert.ok(uniques.includes('2026-03-14 12:01: 2 clicks, 1 unique, 1 duplicate'));
  });

  it('draws the breakdown: hostile labels as text, Other with its value count, theme colours checked', () => {
    const rows = [
      click({ unix_timestamp: T0, sub1: HOSTILE }),
      click({ unix_timestamp: T0, sub1: HOSTILE }),
      click({ unix_timestamp: T0, sub1: 'b' }),
      click({ unix_timestamp: T0, sub1: 'c' }),
      click({ unix_timestamp: T0, sub1: 'd' }),
    ];
    const b = summarize(modelOf(rows), 'all', { dimension: 'sub1', topN: 2 }).breakdown!;
    const svg = breakdownSvg(b, { title: 'Top 2 by Sub 1', colors: { ...COLORS, lower: 'red" onload="x' }, second: (f) => `${f.unique} uniq` });
    const { texts } = parseSvg(svg);
    const clean = CLEAN(HOSTILE);
    assert.ok(texts.some((t) => t === `${clean}: 2 · 40.0% · 2 uniq`), texts.join('\n'));
    assert.ok(texts.includes('Other (2 values)'));
    assert.ok(texts.includes('4 distinct values of Sub 1'));
    assert.ok(!svg.includes('onload="x'), 'a colour became an attribute');
  });
});

describe('chart data as TSV in the webview', () => {
  it('neutralises formulas by the exporters\' own rule (restated there so the webview needs no Buffer)', () => {
    for (const s of ['=1+1', '+A1', '-2', '@SUM(A1)', 'plain', '', ' =x', "'=already", '😀', '=HYPERLINK("http://evil.example","click")']) assert.equal(tsvText(s), neutraliseFormula(s), s);
  });
});
