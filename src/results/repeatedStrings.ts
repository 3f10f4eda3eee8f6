// Loaded click rows hold one string object per value, and most of a click's text repeats from row to
// row: the country and region names, the ISP, the offer's name, the tracking URL, the accept-language
// header, the sub IDs. At a million rows those copies are millions of objects that every major
// collection marks while the result is open (and marks in the middle of the load, where marking
// holds the host). So as rows are read back from disk (src/results/resultFile.ts) each such value is
// replaced by the first row's equal string: the same text, one object.
//
// V8's JSON.parse already shares values of up to 10 characters (it internalises them; "US", "Chrome",
// "Mobile"), so only longer ones are looked up. A field whose values hardly repeat (the transaction
// id, IPs, device-id hashes) is given up after a few thousand rows, so it costs nothing after that.
// Only string values of the known fields are replaced, each by an equal string: no value, key or
// unknown field (`extra`) is changed or dropped, and no object is shared between rows.

/** Values this short are already one object each (V8 internalises them while parsing). */
const MIN_LENGTH = 11;
/** A field stops being looked up when it has this many distinct values … */
const MAX_DISTINCT = 50_000;
/** … or when, after this many lookups, nearly all of them were new values. */
const JUDGE_AFTER = 4096;
const MAX_MISS_SHARE = 0.9;
/** Query parameters are free-form: at most this many of their names get values of their own. */
const MAX_PARAM_NAMES = 256;

/** One field's values seen so far, the first instance of each, while the field repeats. */
class FieldValues {
  private values: Map<string, string> | undefined = new Map();
  private lookups = 0;
  private misses = 0;
  /** Values replaced by an equal one seen before. */
  shared = 0;

  get active(): boolean {
    return this.values !== undefined;
  }

  /** `s`, or an equal string seen before in this field. */
  get(s: string): string {
    const values = this.values;
    if (values === undefined) return s;
    this.lookups++;
    const seen = values.get(s);
    if (seen !== undefined) {
      this.shared++;
      return seen;
    }
    this.misses++;
    if (values.size >= MAX_DISTINCT || (this.lookups >= JUDGE_AFTER && this.misses > this.lookups * MAX_MISS_SHARE)) this.values = undefined;
    else values.set(s, s);
    return s;
  }
}

/** The string fields of one kind of object (a click, its offer, …), each with its values. */
class ObjectFields {
  readonly all: FieldValues[];
  private fields: [string, FieldValues][];

  constructor(names: readonly string[]) {
    this.fields = names.map((n) => [n, new FieldValues()]);
    this.all = this.fields.map(([, values]) => values);
  }

  apply(o: Record<string, unknown>): void {
    let dropped = false;
    for (const [name, values] of this.fields) {
      const v = o[name];
      // Own values only: a row without the field keeps not having it.
      if (typeof v !== 'string' || v.length < MIN_LENGTH || !Object.hasOwn(o, name)) continue;
      o[name] = values.get(v);
      if (!values.active) dropped = true;
    }
    // A field given up is not looked at again.
    if (dropped) this.fields = this.fields.filter(([, values]) => values.active);
  }
}

/** How many distinct objects of a kind are kept for sharing, at most. */
const MAX_DISTINCT_OBJECTS = 20_000;

/**
 * Flat objects of one known shape (an offer, a geolocation, a device) that are equal key for key,
 * value for value, as one frozen object: nothing writes into a click's nested objects, and frozen, a
 * write anywhere could not reach the other rows that share it.
 */
class SameObjects {
  private seen: Map<string, Record<string, unknown>> | undefined = new Map();
  private lookups = 0;
  private misses = 0;
  shared = 0;

  constructor(private readonly names: readonly string[]) {}

  /** The key `add` would keep the object under: the last one `find` worked out. */
  private pending: string | undefined;

  /** An object seen before equal to `o`, else undefined (also when `o` is not exactly of the known shape). */
  find(o: Record<string, unknown>): Record<string, unknown> | undefined {
    this.pending = undefined;
    if (this.seen === undefined) return undefined;
    const key = this.key(o);
    if (key === undefined) return undefined;
    this.lookups++;
    const found = this.seen.get(key);
    if (found !== undefined) {
      this.shared++;
      return found;
    }
    this.misses++;
    if (this.seen.size >= MAX_DISTINCT_OBJECTS || (this.lookups >= JUDGE_AFTER && this.misses > this.lookups * MAX_MISS_SHARE)) this.seen = undefined;
    else this.pending = key;
    return undefined;
  }

  /** Keeps `o` (just given to `find`, which found nothing) for the rows to come, frozen. */
  add(o: Record<string, unknown>): void {
    if (this.pending === undefined || this.seen === undefined) return;
    this.seen.set(this.pending, Object.freeze(o));
    this.pending = undefined;
  }

  /** The values, each marked with its type (and a string with its length): equal keys, equal objects. */
  private key(o: Record<string, unknown>): string | undefined {
    const names = Object.keys(o);
    if (names.length !== this.names.length) return undefined;
    let key = '';
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== this.names[i]) return undefined;
      const v = o[names[i]];
      if (typeof v === 'string') key += `s${v.length}:${v}`;
      // -0 would read as 0 in the key (JSON never writes it, but it is not the same value).
      else if (typeof v === 'number' && !Object.is(v, -0)) key += `n${v};`;
      else if (typeof v === 'boolean') key += v ? 't' : 'f';
      else if (v === null) key += 'z';
      else return undefined;
    }
    return key;
  }
}

const TOP = ['transaction_id', 'tracking_url', 'source_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'revenue_type', 'referer', 'error_message', 'user_ip', 'currency_id', 'coupon_code', 'idfa', 'idfa_md5', 'idfa_sha1', 'google_ad_id', 'google_ad_id_md5', 'google_ad_id_sha1', 'android_id', 'android_id_md5', 'android_id_sha1'];
const OFFER = ['name', 'offer_status'];
const GEOLOCATION = ['country_code', 'country_name', 'region_code', 'region_name', 'city_name', 'dma_name', 'timezone', 'carrier_name', 'carrier_code', 'organization', 'isp_name', 'postal_code'];
const DEVICE = ['platform_name', 'os_version', 'brand', 'model', 'browser_name', 'browser_version', 'device_type', 'language', 'http_accept_language'];
// The known objects' keys in the order src/core/parse.ts writes them (a row written otherwise keeps its own).
const OFFER_KEYS = ['network_offer_id', 'network_id', 'network_tracking_domain_id', 'name', 'offer_status'];
const GEOLOCATION_KEYS = ['country_code', 'country_name', 'region_code', 'region_name', 'city_name', 'dma', 'dma_name', 'timezone', 'carrier_name', 'carrier_code', 'organization', 'isp_name', 'is_mobile', 'is_proxy', 'postal_code'];
const DEVICE_KEYS = ['is_mobile', 'platform_name', 'os_version', 'brand', 'model', 'is_tablet', 'browser_name', 'browser_version', 'device_type', 'language', 'http_accept_language', 'is_robot', 'is_filter'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shares the repeated string values of click rows read one after another (one per load). */
export class RepeatedStrings {
  private readonly top = new ObjectFields(TOP);
  private readonly offer = new ObjectFields(OFFER);
  private readonly geolocation = new ObjectFields(GEOLOCATION);
  private readonly device = new ObjectFields(DEVICE);
  private readonly params = new Map<string, FieldValues>();
  private readonly offers = new SameObjects(OFFER_KEYS);
  private readonly geolocations = new SameObjects(GEOLOCATION_KEYS);
  private readonly devices = new SameObjects(DEVICE_KEYS);

  /** How many values were replaced by an equal one seen before (for tests and measurements). */
  get shared(): number {
    let n = 0;
    for (const fields of [this.top, this.offer, this.geolocation, this.device]) for (const values of fields.all) n += values.shared;
    for (const values of this.params.values()) n += values.shared;
    return n;
  }

  /** How many objects were replaced by an equal one seen before. */
  get sharedObjects(): number {
    return this.offers.shared + this.geolocations.shared + this.devices.shared;
  }

  /** Replaces `row`'s repeated string values by equal ones seen before; anything else is left as is. */
  row(row: Record<string, unknown>): void {
    this.top.apply(row);
    const rel = row.relationship;
    if (!isObject(rel)) return;
    this.known(rel, 'offer', this.offer, this.offers);
    this.known(rel, 'geolocation', this.geolocation, this.geolocations);
    this.known(rel, 'device_information', this.device, this.devices);
    const q = rel.query_parameters;
    if (isObject(q)) this.queryParameters(q);
  }

  /** One of the relationship's known objects: an equal one seen before, else its own values shared. */
  private known(rel: Record<string, unknown>, name: string, fields: ObjectFields, same: SameObjects): void {
    const o = rel[name];
    if (!isObject(o) || !Object.hasOwn(rel, name)) return;
    const found = same.find(o);
    if (found !== undefined) {
      rel[name] = found;
      return;
    }
    // Its strings first: kept, it is frozen.
    fields.apply(o);
    same.add(o);
  }

  private queryParameters(q: Record<string, unknown>): void {
    for (const name of Object.keys(q)) {
      // An own "__proto__" is a value like any other, but assigning to it is not: left as it is.
      if (name === '__proto__') continue;
      const v = q[name];
      if (typeof v !== 'string' || v.length < MIN_LENGTH) continue;
      let values = this.params.get(name);
      if (values === undefined) {
        if (this.params.size >= MAX_PARAM_NAMES) continue;
        values = new FieldValues();
        this.params.set(name, values);
      }
      q[name] = values.get(v);
    }
  }
}
