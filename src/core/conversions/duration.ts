// How long a click took to convert, for people: "45 s", "12 min", "3 h 12 min", "2 d 4 h". Two units
// at most (a person compares orders of magnitude, not seconds of a two-day delay). Negative spans
// (a conversion timed before its click: clock skew between Everflow's servers) keep their sign.

const UNITS: readonly [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

export function formatDuration(seconds: number): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '−' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0 s';
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    if (parts.length === 2) break;
    const q = Math.floor(rest / size);
    if (q > 0) {
      parts.push(`${q} ${name}`);
      rest -= q * size;
    } else if (parts.length === 1) break; // "2 d 0 h" says nothing "2 d" does not
  }
  return sign + parts.join(' ');
}
