// Loaded click rows hold one object per value, and most of a click repeats from row to row: the
// country and region names, the ISP, the offer's name, the tracking URL, the accept-language header,
// the sub IDs, and whole offers, geolocations and devices. At a million rows those copies are millions
// of objects that every major collection marks while the result is open (and marks in the middle of
// the load, where V8's marking holds the host when the concurrent markers cannot keep up). So as rows
// are read back from disk (src/results/resultFile.ts) each such string is replaced by the first row's
// equal string, and each offer, geolocation and device by the first equal one, frozen: the same
// values, one object.
//
// V8's JSON.parse already shares string values of up to 10 characters (it internalises them; "US",
// "Chrome", "Mobile"), so only longer ones are looked up. A field whose values hardly repeat (the
// transaction id, IPs, device-id hashes) is given up after a few thousand rows, so it costs nothing
// after that. No value, key or unknown field (`extra`) is changed or dropped. Each row keeps its own
// row object, `relationship` and query parameters; the shared objects are only ever read (nothing
// writes into a click's nested objects: conversions sit beside the rows in a WeakMap, exports and
// the JSON view build new objects), and frozen, a write could not reach the other rows anyway.

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

/** How many distinct objects of a kind are kept for sharing, at most, and nodes of their tree. */
const MAX_DISTINCT_OBJECTS = 20_000;
const MAX_NODES = 200_000;

/** A level of the tree: each value of a key leads to the next key's level, the last to the object. */
type Level = Map<unknown, unknown>;

/**
 * Flat objects of one known shape (an offer, a geolocation, a device) that are equal key for key,
 * value for value, as one frozen object: nothing writes into a click's nested objects, and frozen, a
 * write anywhere could not reach the other rows that share it. Looked up a value at a time in a tree
 * of Maps (a key string built per object doubled the young garbage of a load: twice the scavenges).
 * Map keys compare as SameValueZero, so "1" and 1, or true and "true", stay apart; -0 (which JSON
 * never writes back) would meet 0, and an object holding it is not shared.
 */
class SameObjects {
  private root: Level | undefined = new Map();
  private objects = 0;
  private nodes = 1;
  private lookups = 0;
  private misses = 0;
  shared = 0;
  /** Where `find` stopped: the level and the index of the key whose value was not there. */
  private pendingLevel: Level | undefined;
  private pendingIndex = 0;

  constructor(private readonly names: readonly string[]) {}

  /** An object seen before equal to `o`, else undefined (also when `o` is not exactly of the known shape). */
  find(o: Record<string, unknown>): Record<string, unknown> | undefined {
    this.pendingLevel = undefined;
    if (this.root === undefined || !this.shaped(o)) return undefined;
    this.lookups++;
    const names = this.names;
    let level = this.root;
    for (let i = 0; i < names.length; i++) {
      const next = level.get(o[names[i]]);
      if (next === undefined) {
        this.misses++;
        if (this.objects >= MAX_DISTINCT_OBJECTS || this.nodes >= MAX_NODES || (this.lookups >= JUDGE_AFTER && this.misses > this.lookups * MAX_MISS_SHARE)) this.root = undefined;
        else {
          this.pendingLevel = level;
          this.pendingIndex = i;
        }
        return undefined;
      }
      if (i === names.length - 1) {
        this.shared++;
        return next as Record<string, unknown>;
      }
      level = next as Level;
    }
    return undefined;
  }

  /** Keeps `o` (just given to `find`, which found nothing) for the rows to come, frozen. */
  add(o: Record<string, unknown>): void {
    let level = this.pendingLevel;
    if (level === undefined) return;
    this.pendingLevel = undefined;
    const names = this.names;
    for (let i = this.pendingIndex; i < names.length - 1; i++) {
      const next: Level = new Map();
      level.set(o[names[i]], next);
      level = next;
      this.nodes++;
    }
    level.set(o[names[names.length - 1]], Object.freeze(o));
    this.objects++;
  }

  /** Exactly the known keys in the known order, each holding a string, a number (not -0), a boolean or null. */
  private shaped(o: Record<string, unknown>): boolean {
    const names = Object.keys(o);
    if (names.length !== this.names.length) return false;
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== this.names[i]) return false;
      const v = o[names[i]];
      if (!(typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && !Object.is(v, -0)))) return false;
    }
    return true;
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

/** Shares the repeated values of click rows read one after another (one per load). */
export class RepeatedValues {
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

  /** Replaces `row`'s repeated strings and known objects by equal ones seen before; anything else is left as is. */
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
