import { gridFrame, type Workbench } from './harness';

// Reading the results grid the way a person reads it, shared by the e2e files that open one.

const num = (t: string) => Number(t.replace(/[^0-9]/g, ''));

/** The status line under the grid ("1,234 of 5,000 rows · …"). */
export async function gridStatus(w: Workbench): Promise<string> {
  return ((await gridFrame(w).locator('.summary-text').textContent()) ?? '').trim();
}

/** Rows the grid shows, from its status line ("1,234 of 5,000 rows …" or "5,000 rows …"); NaN before it has one. */
export async function shownRows(w: Workbench): Promise<number> {
  const m = /^([\d,]+)(?: of [\d,]+)? rows?/.exec(await gridStatus(w));
  return m ? num(m[1]) : NaN;
}

/** Texts of one column's cells on screen, top to bottom; empty when no column has that header. */
export async function columnTexts(w: Workbench, header: string): Promise<string[]> {
  return gridFrame(w)
    .locator('body')
    .evaluate((body, name) => {
      const headers = Array.from(body.querySelectorAll('.slick-header-column'));
      const idx = headers.findIndex((h) => h.querySelector('.slick-column-name')?.textContent?.trim() === name);
      if (idx < 0) return [];
      return Array.from(body.querySelectorAll<HTMLElement>(`.slick-cell.l${idx}`))
        .map((c) => ({ top: c.parentElement!.getBoundingClientRect().top, text: c.textContent ?? '' }))
        .filter((c) => c.top > 0 && c.top < window.innerHeight)
        .sort((a, b) => a.top - b.top)
        .map((c) => c.text);
    }, header);
}
