import { formatTimestamp } from '../../src/core/format';
import { type BarFigures, type Breakdown, type SecondMeasure, type SummaryResult } from '../../src/core/summary/aggregate';
import { BUCKET_NAMES, BUCKET_SIZES, isBucketSize, type BucketSize } from '../../src/core/summary/buckets';
import { breakdownSvg, histogramSvg } from '../../src/core/summary/chartSvg';
import { breakdownTsv, histogramTsv } from '../../src/core/summary/chartTsv';
import type { SummaryModel, WindowSpec } from '../../src/core/summary/model';
import { stackParts, type Stack } from '../../src/core/summary/stack';
import { SummaryCounter } from '../../src/core/summary/summaryCounter';
import { el } from '../dom';
import { breakdownPng, histogramPng, themeColors } from './chartExport';
import { showMenu } from './contextMenu';
import { cvrPct, int, measureName, measuresFor, money, pct, secondText, shownMeasure } from './summaryMeasures';
import { TimeChart } from './timeChart';

// The summary area above the grid: cards, clicks over time, and a top-10 breakdown, always of the rows
// the grid shows now. Charts filter the grid: a bar click keeps its value (Alt/Ctrl-click or its context
// menu excludes it), a drag across the histogram keeps that time range; the filters show as chips in the
// toolbar. Labels come from the API (sub IDs, referers, coupons): text only, cut short with the whole
// value in a title. Each chart has a visually hidden table of its numbers for screen readers.
// With conversions joined, the histogram can stack converted vs not, the breakdown offers CVR and
// conversion revenue, and the cards add conversions and CVR; a choice made before conversions were
// added (or kept from a result that had them) is kept and shown again when it applies.

export interface SummaryChoices {
  dimension?: string;
  measure?: string;
  bucket?: string;
  uniques?: boolean;
  /** Stack converted vs not converted (when conversions are joined); wins over `uniques`. */
  converted?: boolean;
}

export interface SummaryEvents {
  filter(column: string, text: string, exclude: boolean): void;
  brush(start: number, end: number): void;
  toggled(open: boolean): void;
  choices(c: SummaryChoices): void;
  /** "Copy chart data": TSV for the clipboard (the host writes it, as for the grid's Copy). */
  copy(text: string): void;
  /** "Save chart as PNG/SVG": base64 PNG bytes or SVG text, saved by the host through a save dialog. */
  save(chart: 'time' | 'breakdown', format: 'png' | 'svg', data: string): void;
}

export type ChartName = 'time' | 'breakdown';

const LABEL_CHARS = 48;
/** The screen-reader table of the histogram lists every bucket up to this many. */
const MAX_TABLE_BUCKETS = 500;
const short = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);

export class SummaryPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly cards = el('div', { class: 'cards', role: 'group', 'aria-label': 'Totals' });
  private readonly chart: TimeChart;
  private readonly chartInfo = el('div', { class: 'chart-note' });
  private readonly timeTable = el('table', { class: 'sr-only', 'aria-label': 'Clicks over time' });
  private readonly bars = el('div', { class: 'bars', role: 'list', 'aria-label': 'Top values' });
  private readonly barsInfo = el('div', { class: 'chart-note' });
  private readonly barTable = el('table', { class: 'sr-only', 'aria-label': 'Breakdown' });
  private readonly bucketSelect: HTMLSelectElement;
  private readonly dimSelect: HTMLSelectElement;
  private readonly measureSelect: HTMLSelectElement;
  private readonly uniquesButton: HTMLButtonElement;
  private readonly convertedButton: HTMLButtonElement;
  private model: SummaryModel | undefined;
  private window: WindowSpec | undefined;
  private rows: ArrayLike<number> | 'all' = 'all';
  private viewKey = '';
  private readonly counter = new SummaryCounter();
  private choices: SummaryChoices = {};
  private open = true;
  private frame = 0;
  /** The last numbers shown (tests read them through the DOM; kept for a redraw without recount). */
  last: SummaryResult | undefined;

  constructor(private readonly events: SummaryEvents) {
    this.root = el('section', { class: 'summary', 'aria-label': 'Summary of the rows shown' });
    this.toggle = el('button', { class: 'summary-toggle', type: 'button', 'aria-expanded': 'true', title: 'Show or hide the summary' }, 'Summary');
    this.toggle.addEventListener('click', () => this.setOpen(!this.open, true));
    this.body = el('div', { class: 'summary-body' });

    this.bucketSelect = el('select', { class: 'bucket-select', 'aria-label': 'Bucket size' });
    this.bucketSelect.append(el('option', { value: '' }, 'Auto'), ...BUCKET_SIZES.map((b) => el('option', { value: b }, BUCKET_NAMES[b])));
    this.bucketSelect.addEventListener('change', () => this.choose({ bucket: this.bucketSelect.value || undefined }));
    this.uniquesButton = el('button', { class: 'summary-button', type: 'button', 'aria-pressed': 'false', title: 'Stack unique vs duplicate clicks instead of valid vs with error' }, 'Unique vs duplicate');
    this.uniquesButton.addEventListener('click', () => this.choose({ uniques: !this.choices.uniques, converted: false }));
    this.convertedButton = el('button', { class: 'summary-button stack-converted', type: 'button', 'aria-pressed': 'false', hidden: true, title: 'Stack converted vs not converted clicks instead of valid vs with error' }, 'Converted vs not');
    this.convertedButton.addEventListener('click', () => this.choose({ converted: !this.choices.converted, uniques: false }));
    this.chart = new TimeChart({ brush: (a, b) => this.events.brush(a, b) });
    const timeBox = el('div', { class: 'chart-box time-box' });
    const timeHead = el('div', { class: 'chart-head' });
    timeHead.append(el('span', { class: 'chart-title' }, 'Clicks over time'), this.bucketSelect, this.uniquesButton, this.convertedButton, this.actionsButton('time'));
    timeBox.append(timeHead, this.chart.root, this.chartInfo, this.timeTable);

    this.dimSelect = el('select', { class: 'dimension-select', 'aria-label': 'Breakdown by' });
    this.dimSelect.addEventListener('change', () => this.choose({ dimension: this.dimSelect.value }));
    this.measureSelect = el('select', { class: 'measure-select', 'aria-label': 'Second measure' });
    this.measureSelect.append(...measuresFor(false).map((m) => el('option', { value: m.id }, m.name)));
    this.measureSelect.addEventListener('change', () => this.choose({ measure: this.measureSelect.value }));
    const barBox = el('div', { class: 'chart-box bar-box' });
    const barHead = el('div', { class: 'chart-head' });
    barHead.append(el('span', { class: 'chart-title' }, 'Top 10 by'), this.dimSelect, this.measureSelect, this.actionsButton('breakdown'));
    barBox.append(barHead, this.bars, this.barsInfo, this.barTable);

    const charts = el('div', { class: 'charts' });
    charts.append(timeBox, barBox);
    this.body.append(this.cards, charts);
    this.root.append(this.toggle, this.body);
  }

  /** The "⋯" button of a chart: copy its numbers as TSV, save it as PNG or SVG. */
  private actionsButton(chart: ChartName): HTMLButtonElement {
    const name = chart === 'time' ? 'clicks over time' : 'breakdown';
    const b = el('button', { class: 'summary-button chart-actions', type: 'button', 'data-chart': chart, 'aria-haspopup': 'menu', title: `Copy or save the ${name} chart`, 'aria-label': `Copy or save the ${name} chart` }, '⋯');
    b.addEventListener('click', () => {
      const at = b.getBoundingClientRect();
      const ready = Boolean(this.last && (chart === 'time' ? this.last.histogram.layout.buckets.length : this.last.breakdown));
      showMenu(
        [
          { label: 'Copy Chart Data (TSV)', disabled: !ready, run: () => this.copyChart(chart) },
          { label: 'Save Chart as PNG…', disabled: !ready || (chart === 'time' && !this.chart.canvas()), run: () => this.saveChart(chart, 'png') },
          { label: 'Save Chart as SVG…', disabled: !ready, run: () => this.saveChart(chart, 'svg') },
        ],
        at.left,
        at.bottom,
        'Chart',
      );
    });
    return b;
  }

  private copyChart(chart: ChartName): void {
    const r = this.last;
    if (!r) return;
    if (chart === 'time') this.events.copy(histogramTsv(r.histogram));
    else if (r.breakdown) this.events.copy(breakdownTsv(r.breakdown));
  }

  private chartTitle(chart: ChartName): string {
    const r = this.last!;
    if (chart === 'time') return `Clicks over time (${BUCKET_NAMES[r.histogram.layout.size]} buckets, ${r.histogram.layout.zone}) — ${int(r.cards.clicks)} clicks`;
    return `Top ${r.breakdown!.items.length} by ${r.breakdown!.title} — ${int(r.cards.clicks)} clicks`;
  }

  private saveChart(chart: ChartName, format: 'png' | 'svg'): void {
    const r = this.last;
    if (!r) return;
    const stack = this.stack();
    const colors = themeColors(stack);
    const title = this.chartTitle(chart);
    if (chart === 'time') {
      const canvas = this.chart.canvas();
      if (format === 'png' && canvas) this.events.save(chart, format, histogramPng(canvas, title, colors));
      else if (format === 'svg') this.events.save(chart, format, histogramSvg(r.histogram, { title, colors, stack }));
      return;
    }
    if (!r.breakdown) return;
    const second = this.secondText();
    if (format === 'png') this.events.save(chart, format, breakdownPng(r.breakdown, title, colors, second));
    else this.events.save(chart, format, breakdownSvg(r.breakdown, { title, colors, second }));
  }

  private secondText(): (f: BarFigures) => string {
    return secondText(this.measure());
  }

  private measure(): SecondMeasure {
    return shownMeasure(this.choices.measure, Boolean(this.model?.hasConversions));
  }

  /** The histogram's stack: converted vs not only while the table has conversions. */
  private stack(): Stack {
    if (this.choices.converted && this.model?.hasConversions) return 'converted';
    return this.choices.uniques ? 'uniques' : 'errors';
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.chart.destroy();
  }

  get isOpen(): boolean {
    return this.open;
  }

  setOpen(open: boolean, byUser = false): void {
    this.open = open;
    this.body.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    this.root.classList.toggle('closed', !open);
    if (byUser) this.events.toggled(open);
    if (open) this.schedule();
  }

  /**
   * A new table (or the same one grown by Fetch all): the dimensions offered follow its columns. The
   * app reads a table for the summary after the table's first paint: until then the panel has none
   * (`undefined`) and draws nothing, and a model that comes after the rows were set draws them.
   */
  setModel(model: undefined): void;
  setModel(model: SummaryModel, window: WindowSpec | undefined, choices: SummaryChoices): void;
  setModel(model: SummaryModel | undefined, window?: WindowSpec, choices: SummaryChoices = {}): void {
    this.model = model;
    if (!model) {
      this.last = undefined;
      return;
    }
    this.window = window;
    this.choices = { ...choices };
    const dims = model.dimensions();
    if (!this.choices.dimension || !dims.some((d) => d.id === this.choices.dimension)) this.choices.dimension = dims.find((d) => d.id === 'geo.country_name')?.id ?? dims[0]?.id;
    this.dimSelect.replaceChildren(...dims.map((d) => el('option', { value: d.id }, d.title)));
    this.measureSelect.replaceChildren(...measuresFor(model.hasConversions).map((m) => el('option', { value: m.id }, m.name)));
    this.convertedButton.hidden = !model.hasConversions;
    this.syncControls();
    // A draw already on its way (rows set in this frame) reads this model; otherwise draw now.
    if (!this.frame) this.schedule();
  }

  /**
   * The rows the grid shows now, chosen by the view named `viewKey` (its search and filters); the charts
   * follow on the next frame, after the rows paint. Rows Fetch all appends under the same view are
   * counted on their own.
   */
  setRows(rows: ArrayLike<number> | 'all', viewKey: string): void {
    this.rows = rows;
    this.viewKey = viewKey;
    this.schedule();
  }

  private choose(patch: Partial<SummaryChoices>): void {
    this.choices = { ...this.choices, ...patch };
    this.syncControls();
    this.events.choices(this.choices);
    this.schedule();
  }

  private syncControls(): void {
    const c = this.choices;
    this.bucketSelect.value = c.bucket && isBucketSize(c.bucket) ? c.bucket : '';
    if (c.dimension) this.dimSelect.value = c.dimension;
    this.measureSelect.value = this.measure();
    const stack = this.stack();
    for (const [b, on] of [[this.uniquesButton, stack === 'uniques'], [this.convertedButton, stack === 'converted']] as const) {
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('pressed', on);
    }
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    // Two frames: the grid's rows paint in the first, the charts are drawn in the next.
    this.frame = requestAnimationFrame(() => {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    });
  }

  private render(): void {
    const model = this.model;
    if (!model || !this.open) return;
    const measure = this.measure();
    const bucket = this.choices.bucket && isBucketSize(this.choices.bucket) ? (this.choices.bucket as BucketSize) : undefined;
    const { result } = this.counter.count(model, this.rows, { window: this.window, bucket, dimension: this.choices.dimension, measure }, this.viewKey);
    this.last = result;
    this.renderCards(result);
    this.renderTime(result, model.zone);
    this.renderBars(result.breakdown, measure, result.cards.clicks);
    this.root.dataset.clicks = String(result.cards.clicks);
  }

  private renderCards(r: SummaryResult): void {
    const c = r.cards;
    const zone = this.model!.zone;
    const card = (label: string, value: string, title?: string) => {
      const d = el('div', { class: 'card', title: title ?? `${label}: ${value}` });
      d.append(el('div', { class: 'card-label' }, label), el('div', { class: 'card-value' }, value));
      return d;
    };
    this.cards.replaceChildren(
      card('Clicks', int(c.clicks)),
      card('Unique', pct(c.uniqueShare), `${int(c.unique)} unique of ${int(c.clicks)}`),
      card('With error', pct(c.errorShare), `${int(c.withError)} with an error code of ${int(c.clicks)}`),
      card('Revenue', money(c.revenue)),
      ...(c.conversions
        ? [
            card('Conversions', int(c.conversions.conversions), `${int(c.conversions.conversions)} conversions and ${int(c.conversions.events)} events on ${int(c.conversions.converted)} converted clicks; conversion revenue ${money(c.conversions.revenue)}`),
            card('CVR', cvrPct(c.conversions.cvr), `${int(c.conversions.converted)} converted of ${int(c.clicks)} clicks`),
          ]
        : []),
      card('First click', c.first !== undefined ? formatTimestamp(c.first, zone) : '—'),
      card('Last click', c.last !== undefined ? formatTimestamp(c.last, zone) : '—'),
      card('Peak / minute', int(c.peakPerMinute), c.peakMinute !== undefined ? `${int(c.peakPerMinute)} clicks in the minute from ${formatTimestamp(c.peakMinute, zone)}` : undefined),
    );
  }

  private renderTime(r: SummaryResult, zone: string): void {
    const h = r.histogram;
    const stack = this.stack();
    const parts = stackParts(h, stack);
    this.chart.show(h, zone, stack);
    const notes = h.layout.buckets.length
      ? [`${h.layout.buckets.length} buckets of ${BUCKET_NAMES[h.layout.size]} (${zone}); drag across to filter the grid to a time range`]
      : ['No click has a time to chart'];
    if (h.layout.requested) notes.push(`${BUCKET_NAMES[h.layout.requested]} would make too many buckets`);
    const outside = h.before + h.after;
    if (outside) notes.push(`${int(outside)} outside the window`);
    if (h.noTime) notes.push(`${int(h.noTime)} without a time`);
    this.chartInfo.textContent = notes.join(' · ');
    const head = el('tr');
    for (const t of ['Bucket start', 'Bucket end', 'Clicks', parts.lowerName, parts.upperName]) head.append(el('th', { scope: 'col' }, t));
    const rows = [head];
    // Past a few hundred buckets (minutes over days) the table lists the buckets with clicks only: tens of
    // thousands of hidden rows rebuilt on every keystroke would cost more than they tell.
    const all = h.layout.buckets.length <= MAX_TABLE_BUCKETS;
    this.timeTable.setAttribute('aria-label', all ? 'Clicks over time' : 'Clicks over time (buckets with clicks)');
    for (let i = 0; i < h.layout.buckets.length; i++) {
      if (!all && h.clicks[i] === 0) continue;
      const b = h.layout.buckets[i];
      const lower = parts.lower(i);
      const tr = el('tr');
      for (const t of [formatTimestamp(b.start, zone), formatTimestamp(b.end, zone), int(h.clicks[i]), int(lower), int(h.clicks[i] - lower)]) tr.append(el('td', {}, t));
      rows.push(tr);
    }
    this.timeTable.replaceChildren(...rows);
  }

  private renderBars(b: Breakdown | undefined, measure: SecondMeasure, total: number): void {
    if (!b) {
      this.bars.replaceChildren();
      this.barsInfo.textContent = '';
      this.barTable.replaceChildren();
      return;
    }
    const max = Math.max(1, ...b.items.map((i) => i.count), b.other?.count ?? 0);
    const second = this.secondText();
    const secondName = measureName(measure);
    const bar = (label: string, f: BarFigures, filter: { column: string; text: string } | undefined, other: boolean): HTMLElement => {
      const node = el('button', {
        class: other ? 'bar bar-other' : 'bar',
        type: 'button',
        role: 'listitem',
        title: filter ? `${label}\nClick: show only this value · Alt/Ctrl-click or right-click: exclude it` : label,
        'aria-label': `${label}: ${int(f.count)} clicks, ${pct(f.share)}; ${secondName} ${second(f)}`,
        disabled: !filter,
      });
      const fill = el('span', { class: 'bar-fill' });
      fill.style.width = `${((f.count / max) * 100).toFixed(2)}%`;
      const track = el('span', { class: 'bar-track' });
      track.append(fill);
      node.append(el('span', { class: 'bar-label' }, short(label)), track, el('span', { class: 'bar-count' }, `${int(f.count)} · ${pct(f.share)}`), el('span', { class: 'bar-second' }, second(f)));
      if (filter) {
        node.dataset.column = filter.column;
        node.addEventListener('click', (e) => this.events.filter(filter.column, filter.text, e.altKey || e.ctrlKey || e.metaKey));
        node.addEventListener('contextmenu', (e) => {
          e.preventDefault();
          const at = node.getBoundingClientRect();
          showMenu(
            [
              { label: `Show only “${short(label)}”`, run: () => this.events.filter(filter.column, filter.text, false) },
              { label: `Exclude “${short(label)}”`, run: () => this.events.filter(filter.column, filter.text, true) },
            ],
            e.clientX || at.left,
            e.clientY || at.bottom,
            'Bar',
          );
        });
      }
      return node;
    };
    const nodes = b.items.map((i) => bar(i.label, i, b.column !== undefined && i.text !== undefined ? { column: b.column, text: i.text } : undefined, false));
    if (b.other) nodes.push(bar(`${b.other.label} (${int(b.other.values)} values)`, b.other, undefined, true));
    this.bars.replaceChildren(...nodes);
    this.barsInfo.textContent = `${int(b.distinct)} distinct values of ${b.title} in ${int(total)} clicks`;
    const head = el('tr');
    for (const t of [b.title, 'Clicks', 'Share', secondName]) head.append(el('th', { scope: 'col' }, t));
    const rows = [head];
    for (const [label, f] of [...b.items.map((i) => [i.label, i] as const), ...(b.other ? [[`${b.other.label} (${b.other.values} values)`, b.other] as const] : [])]) {
      const tr = el('tr');
      for (const t of [label, int(f.count), pct(f.share), second(f)]) tr.append(el('td', {}, t));
      rows.push(tr);
    }
    this.barTable.replaceChildren(...rows);
  }
}
