// Fields Everflow may add that no client has heard of yet (the network stream already sends more:
// payout, affiliate, advertiser …). The `unknownFields` knob adds them to every click row, at the
// top level, inside an existing `relationship` object and as whole new `relationship` objects, so
// clients can be tested for dropping nothing.
//
//   none     nothing added (the default)
//   network  plausible additions: payout, offer.payout_type, geolocation.zip_plus4, affiliate, advertiser
//   hostile  `network` plus names and values chosen to break things: `__proto__`, `constructor`,
//            markup, a formula, a 10,000-character name, `/` and `%` in names, deep nesting
//   many     `network` plus three names no other row has: thousands of distinct fields per day

export const UNKNOWN_FIELD_MODES = ['none', 'network', 'hostile', 'many'] as const;
export type UnknownFieldMode = (typeof UNKNOWN_FIELD_MODES)[number];

type Row = Record<string, unknown>;

/** A 10,000-character field name (hostile mode). */
export const LONG_FIELD_NAME = `long_${'x'.repeat(9_995)}`;
export const MARKUP_FIELD_NAME = '<img src=x onerror="alert(1)">';

/** Sets `key` as an own, enumerable property even when it is `__proto__`, as JSON.parse would. */
function put(o: Row, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function object(v: unknown): Row | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Row) : undefined;
}

/**
 * The row with the unknown fields of `mode` added (in place, and returned). `i` numbers the row in
 * its day, so values vary and `many` names differ from row to row, the same on every request.
 */
export function addUnknownFields(row: Row, mode: UnknownFieldMode, day: number, i: number): Row {
  if (mode === 'none') return row;
  put(row, 'payout', Math.round(((i % 17) + 1) * 25) / 100);
  put(row, 'is_view_through', i % 5 === 0);
  const rel = object(row.relationship) ?? {};
  if (!object(row.relationship)) put(row, 'relationship', rel);
  const offer = object(rel.offer);
  if (offer) {
    put(offer, 'payout_type', i % 2 === 0 ? 'cpa' : 'cpc');
    put(offer, 'visibility', 'public');
  }
  const geo = object(rel.geolocation);
  if (geo) put(geo, 'zip_plus4', i % 3 === 0 ? null : `${10000 + (i % 89999)}-${String(i % 9999).padStart(4, '0')}`);
  put(rel, 'affiliate', { network_affiliate_id: 7000 + (i % 3), name: `Affiliate ${7000 + (i % 3)}`, labels: ['direct', `day-${day}`] });
  put(rel, 'advertiser', { network_advertiser_id: 42, name: 'Acme Advertiser', account_manager: { name: 'Jo Smith', email: 'jo@example.test' } });
  if (mode === 'hostile') {
    put(row, '__proto__', { polluted: 'yes' });
    put(row, 'constructor', 'not a function');
    put(row, MARKUP_FIELD_NAME, '<script>alert("unknown field")</script>');
    put(row, 'formula_value', `=HYPERLINK("http://evil.example","click")`);
    put(row, LONG_FIELD_NAME, 'the value of a very long name');
    put(row, 'a/b%2Fc', 'slash and percent in the name');
    if (offer) put(offer, '__proto__', { polluted: 'offer' });
    put(rel, 'toString', { deep: { deeper: { deepest: [1, 2, { three: 3 }] } } });
  }
  if (mode === 'many') {
    for (let k = 0; k < 3; k++) put(row, `field_${day}_${i}_${k}`, `value ${i}.${k}`);
  }
  return row;
}
