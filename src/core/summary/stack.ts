import type { Histogram } from './aggregate';

// How the histogram's bars are split: valid vs with error (the default), unique vs duplicate, or, when
// the result has conversions joined, converted vs not converted. One place for the names and the lower
// part's count, so the chart on screen, its screen-reader table, the SVG and the legend say the same.

export type Stack = 'errors' | 'uniques' | 'converted';

export interface StackParts {
  lowerName: string;
  upperName: string;
  /** The lower part of bucket i; the upper part is the bucket's clicks minus this. */
  lower(i: number): number;
}

/** The stack the user chose, or the default where the histogram cannot show it (no conversions). */
export function stackOf(h: Histogram, stack: Stack | undefined): Stack {
  if (stack === 'converted') return h.converted ? 'converted' : 'errors';
  return stack ?? 'errors';
}

export function stackParts(h: Histogram, stack: Stack | undefined): StackParts {
  switch (stackOf(h, stack)) {
    case 'uniques':
      return { lowerName: 'Unique', upperName: 'Duplicate', lower: (i) => h.unique[i] };
    case 'converted': {
      const converted = h.converted!;
      return { lowerName: 'Converted', upperName: 'Not converted', lower: (i) => converted[i] };
    }
    default:
      return { lowerName: 'Valid', upperName: 'With error', lower: (i) => h.clicks[i] - h.withError[i] };
  }
}
