import { systems as builtInSystems } from '../systems';
import type { RefineHook, SystemDefinition } from '../systems/schema';
import { decodeComponent } from '../url/decode';
import { parseBody, type QueryParam } from '../url/parse-query';
import { splitUrl, type UrlParts } from '../url/split-url';
import {
  type Captures,
  type CompiledRegistry,
  type CompiledShape,
  type CompiledSystem,
  compileRegistry,
  NO_CAPTURES,
  PATH_ANY,
  PATH_EXACT,
  PATH_REGEX,
  PATH_SEGMENT,
  type ParamInfo,
  trimPath,
} from './compile';
import { detectMacro, detectMacroScanned, type MacroStyle } from './macros';
import type { ClickId, Macro, Param, Recognition } from './schema';

/**
 * Recognition: which system and kind a URL is, its click id, fields, unknown params and
 * macros. It runs on every request of every tab, so the hot path avoids `new URL()`,
 * callbacks and objects it does not return (bench/recognize.ts keeps the figures honest).
 */

export interface RecognizeOptions {
  /** HTTP method; only matters for shapes that list `methods`. */
  method?: string;
  /** Request body (form-urlencoded or JSON). Merged after the query params, as Keitaro does [L1]. */
  body?: string;
  /** Systems to recognise; the built-in registry when absent. */
  systems?: readonly SystemDefinition[];
}

/** A query or body param as recognition reads it, with its macro style worked out once. */
export interface ReadParam {
  /** Decoded name. */
  name: string;
  /** Name as written: known params are matched on this, like the pre-filter does. */
  rawName: string;
  /** Decoded value. */
  value: string;
  from: QueryParam['from'];
  macro: MacroStyle | null;
}

/** Above this many params, name lookups go through a Map (linear time for 100,000 params). */
const SCAN_LIMIT = 16;

function lastMap(params: readonly ReadParam[]): Map<string, number> | null {
  if (params.length <= SCAN_LIMIT) return null;
  const map = new Map<string, number>();
  for (let i = 0; i < params.length; i++) map.set((params[i] as ReadParam).rawName, i);
  return map;
}

/** Index of the last param named `name` (as written): the one PHP trackers use. */
function lastOf(params: readonly ReadParam[], map: Map<string, number> | null, name: string): number {
  if (map !== null) return map.get(name) ?? -1;
  for (let i = params.length - 1; i >= 0; i--) if ((params[i] as ReadParam).rawName === name) return i;
  return -1;
}

/** Param name as written → index of its last occurrence. */
export class ParamIndex {
  private readonly params: readonly ReadParam[];
  private readonly map: Map<string, number> | null;

  constructor(params: readonly ReadParam[], map: Map<string, number> | null = lastMap(params)) {
    this.params = params;
    this.map = map;
  }

  get(name: string): number | undefined {
    const i = lastOf(this.params, this.map, name);
    return i === -1 ? undefined : i;
  }

  has(name: string): boolean {
    return lastOf(this.params, this.map, name) !== -1;
  }
}

/** Everything recognition found, for diagnostics and the builder; `recognition` is the public part. */
export interface RecognizeDetail {
  recognition: Recognition;
  system: CompiledSystem;
  shape: CompiledShape;
  parts: UrlParts;
  params: ReadParam[];
  lastIndex: ParamIndex;
}

let builtInRegistry: CompiledRegistry | null = null;

function registryFor(opts: RecognizeOptions | undefined): CompiledRegistry {
  const list = opts?.systems;
  if (list === undefined || list === builtInSystems) {
    builtInRegistry ??= compileRegistry(builtInSystems);
    return builtInRegistry;
  }
  return compileRegistry(list);
}

const HAS_PERCENT = 1;
const HAS_PLUS = 2;
const HAS_SPECIAL = 4;

/** One pass over a raw component: does it need decoding, and may it hold a macro? */
function scan(text: string, from: number, to: number): number {
  if (to - from > 128) {
    const part = text.slice(from, to);
    return (
      (part.indexOf('%') !== -1 ? HAS_PERCENT | HAS_SPECIAL : 0) |
      (part.indexOf('+') !== -1 ? HAS_PLUS : 0) |
      (/[{}[\]#$]/.test(part) ? HAS_SPECIAL : 0)
    );
  }
  let flags = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 37) flags |= HAS_PERCENT | HAS_SPECIAL;
    else if (c === 43) flags |= HAS_PLUS;
    else if (c === 123 || c === 125 || c === 91 || c === 93 || c === 35 || c === 36) flags |= HAS_SPECIAL;
  }
  return flags;
}

/**
 * Reads `a=1&b=2` into params: the loop of `forEachPair`, inlined and fused with decoding and
 * macro detection. `=` is searched once ahead and reused, so pairs without `=` stay linear.
 */
/** Anything that needs decoding or may start a macro. Most tracker queries have none. */
const DIRTY = /[%+{}[\]#$]/;

function readPairs(out: ReadParam[], query: string, from: 'query' | 'body'): void {
  const n = query.length;
  const clean = !DIRTY.test(query);
  let i = 0;
  let eqAt = query.indexOf('=');
  while (i <= n) {
    let amp = query.indexOf('&', i);
    if (amp === -1) amp = n;
    if (amp > i) {
      if (eqAt !== -1 && eqAt < i) eqAt = query.indexOf('=', i);
      const eq = eqAt !== -1 && eqAt < amp ? eqAt : -1;
      const nameEnd = eq === -1 ? amp : eq;
      const rawName = query.slice(i, nameEnd);
      const name =
        clean || (scan(query, i, nameEnd) & (HAS_PERCENT | HAS_PLUS)) === 0
          ? rawName
          : decodeComponent(rawName);
      let value = '';
      let macro: MacroStyle | null = null;
      if (eq !== -1 && eq + 1 < amp) {
        const rawValue = query.slice(eq + 1, amp);
        const flags = clean ? 0 : scan(query, eq + 1, amp);
        if ((flags & (HAS_PERCENT | HAS_PLUS)) === 0) {
          value = rawValue;
          macro = detectMacroScanned(value, rawValue, (flags & HAS_SPECIAL) !== 0);
        } else {
          value = decodeComponent(rawValue);
          macro = detectMacro(value, rawValue);
        }
      }
      out.push({ name, rawName, value, from, macro });
    }
    i = amp + 1;
  }
}

function readParams(query: string | null, body: string | undefined): ReadParam[] {
  const params: ReadParam[] = [];
  if (query !== null) readPairs(params, query, 'query');
  if (body !== undefined && body !== '') {
    for (const p of parseBody(body)) {
      const eq = p.raw.indexOf('=');
      const macro = detectMacro(p.value, eq === -1 ? '' : p.raw.slice(eq + 1));
      params.push({ name: p.name, rawName: p.rawName, value: p.value, from: p.from, macro });
    }
  }
  return params;
}

function paramsMatch(
  c: CompiledShape,
  params: readonly ReadParam[],
  map: Map<string, number> | null,
  method: string | undefined,
): boolean {
  if (c.methods !== null && method !== undefined && !c.methods.has(method.toUpperCase())) return false;
  const required = c.required;
  for (let k = 0; k < required.length; k++)
    if (lastOf(params, map, required[k] as string) === -1) return false;
  const anyOf = c.anyOf;
  if (anyOf.length > 0) {
    let any = false;
    if (params.length < anyOf.length) {
      for (let k = 0; k < params.length && !any; k++) any = c.anyOfSet.has((params[k] as ReadParam).rawName);
    } else {
      for (let k = 0; k < anyOf.length && !any; k++) any = lastOf(params, map, anyOf[k] as string) !== -1;
    }
    if (!any) return false;
  }
  const forbidden = c.forbidden;
  if (params.length < forbidden.length) {
    for (let k = 0; k < params.length; k++)
      if (c.forbiddenSet.has((params[k] as ReadParam).rawName)) return false;
  } else {
    for (let k = 0; k < forbidden.length; k++)
      if (lastOf(params, map, forbidden[k] as string) !== -1) return false;
  }
  const values = c.values;
  for (let k = 0; k < values.length; k++) {
    const cond = values[k] as CompiledShape['values'][number];
    const i = lastOf(params, map, cond.param);
    const ok = i !== -1 && cond.test((params[i] as ReadParam).value);
    if (ok === cond.negate) return false;
  }
  return true;
}

/** Compares a path part with a lower-case key without allocating for the usual mismatch. */
function equalsLower(text: string, lowerKey: string): boolean {
  return text.length === lowerKey.length && text.toLowerCase() === lowerKey;
}

/** The cheap part of a path test: string compares; regex shapes only check their marker here. */
function pathMayMatch(c: CompiledShape, path: string, trimmed: string, last: string): boolean {
  switch (c.pathType) {
    case PATH_ANY:
      return true;
    case PATH_EXACT:
      return c.ignoreCase ? equalsLower(trimmed, c.pathKey) : trimmed === c.pathKey;
    case PATH_SEGMENT:
      return c.ignoreCase ? equalsLower(last, c.pathKey) : last === c.pathKey;
    default:
      return c.marker === undefined || path.includes(c.marker);
  }
}

/** The winning shape: within a system the first that matches, between systems the most specific. */
interface Match {
  systemIndex: number;
  system: CompiledSystem;
  shape: CompiledShape;
  captures: Captures;
  kind: Recognition['kind'];
}

function match(
  registry: CompiledRegistry,
  path: string,
  params: readonly ReadParam[],
  map: Map<string, number> | null,
  method: string | undefined,
): Match | null {
  let best: Match | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  const trimmed = trimPath(path);
  const last = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const systems = registry.systems;
  for (let s = 0; s < systems.length; s++) {
    const system = systems[s] as CompiledSystem;
    if ((system.bestScoreFrom[0] as number) <= bestScore || !system.mayMatchPath(path, trimmed, last))
      continue;
    const shapes = system.shapes;
    for (let i = 0; i < shapes.length; i++) {
      // Nothing from here on in this system can beat what is already found.
      if ((system.bestScoreFrom[i] as number) <= bestScore) break;
      const shape = shapes[i] as CompiledShape;
      if (!pathMayMatch(shape, path, trimmed, last) || !paramsMatch(shape, params, map, method)) continue;
      const captures = shape.pathType === PATH_REGEX ? shape.matchPath(path) : NO_CAPTURES;
      if (captures === null) continue;
      let kind = shape.shape.kind;
      const refine: RefineHook | undefined = system.def.refine;
      if (refine !== undefined) {
        const verdict: ReturnType<RefineHook> = refine({ kind, path, params });
        if (verdict === false) break;
        if (verdict?.kind !== undefined) kind = verdict.kind;
      }
      // On a tie the system listed first keeps it.
      if (shape.score > bestScore) {
        best = { systemIndex: s, system, shape, captures, kind };
        bestScore = shape.score;
      }
      break;
    }
  }
  return best;
}

function primaryClickId(
  shape: CompiledShape,
  table: Map<string, ParamInfo>,
  params: readonly ReadParam[],
  map: Map<string, number> | null,
): ClickId | null {
  let empty: ClickId | null = null;
  const names = shape.clickId;
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as string;
    const i = lastOf(params, map, name);
    if (i === -1) continue;
    const p = params[i] as ReadParam;
    if (p.macro !== null) continue;
    const role = table.get(name)?.role ?? 'click';
    if (p.value !== '') return { param: p.name, value: p.value, role, macro: false };
    if (empty === null) empty = { param: p.name, value: '', role, macro: false };
  }
  return empty;
}

/**
 * The param that currently feeds `field` (index × 256 + alias rank), found again by replaying
 * the rule over the params before `end`. Only needed when a field is fed twice, which is rare.
 */
function replayWinner(
  params: readonly ReadParam[],
  table: Map<string, ParamInfo>,
  field: string,
  end: number,
): number {
  let w = -1;
  for (let j = 0; j < end; j++) {
    const info = table.get((params[j] as ReadParam).rawName);
    if (info === undefined || info.field !== field) continue;
    if (
      w === -1 ||
      (params[Math.floor(w / 256)] as ReadParam).rawName === (params[j] as ReadParam).rawName ||
      info.rank < w % 256
    ) {
      w = j * 256 + Math.min(info.rank, 255);
    }
  }
  return w;
}

function build(
  url: string,
  registry: CompiledRegistry,
  m: Match,
  params: readonly ReadParam[],
  map: Map<string, number> | null,
): Recognition {
  const table = registry.tableFor(m.systemIndex, m.kind);
  const clickIds: ClickId[] = [];
  const unknownParams: Param[] = [];
  const macros: Macro[] = [];
  // No prototype: a `__proto__` or `constructor` param is a key like any other, and readers
  // of `fields[name]` never get an inherited function.
  const fields: Record<string, string> = Object.create(null);
  // The best-ranked alias feeds a field; a repeat of the same name replaces it (PHP keeps the
  // last); another alias of the same field (`revenue` next to `payout`) is kept under its own
  // name. Who feeds what is tracked only once some field is fed twice.
  let winners: Map<string, number> | null = null;
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as ReadParam;
    const info = table.get(p.rawName);
    if (p.macro !== null) macros.push({ param: p.name, value: p.value, style: p.macro });
    const role = info?.role;
    if (role !== undefined) clickIds.push({ param: p.name, value: p.value, role, macro: p.macro !== null });
    if (info === undefined || info.field === '') {
      unknownParams.push({ name: p.name, value: p.value });
      continue;
    }
    const field = info.field;
    const mine = i * 256 + Math.min(info.rank, 255);
    if (!(field in fields)) {
      fields[field] = p.value;
      winners?.set(field, mine);
      continue;
    }
    winners ??= new Map();
    let w = winners.get(field);
    if (w === undefined) w = replayWinner(params, table, field, i);
    const current = params[Math.floor(w / 256)] as ReadParam;
    if (w === -1 || current.rawName === p.rawName) {
      winners.set(field, mine);
      fields[field] = p.value;
    } else if (info.rank < w % 256) {
      if (table.get(current.rawName)?.field !== current.name) fields[current.name] = current.value;
      winners.set(field, mine);
      fields[field] = p.value;
    } else {
      winners.set(field, w);
      if (table.get(p.rawName)?.field !== p.name) fields[p.name] = p.value;
    }
  }
  for (const k in m.captures) fields[k] = m.captures[k] as string;
  return {
    system: m.system.def.id,
    kind: m.kind,
    url,
    clickId: primaryClickId(m.shape, table, params, map),
    clickIds,
    fields,
    unknownParams,
    macros,
  };
}

/** Like `recognize`, with what diagnostics and the builder need besides the public result. */
export function recognizeDetailed(url: string, opts?: RecognizeOptions): RecognizeDetail | null {
  if (typeof url !== 'string') return null;
  const registry = registryFor(opts);
  const body = opts?.body;
  if ((body === undefined || body === '') && !registry.prefilter(url)) return null;
  const parts = splitUrl(url);
  if (parts === null) return null;
  const params = readParams(parts.query, body);
  const map = lastMap(params);
  const m = match(registry, parts.path, params, map, opts?.method);
  if (m === null) return null;
  const recognition = build(url, registry, m, params, map);
  return {
    recognition,
    system: m.system,
    shape: m.shape,
    parts,
    params,
    lastIndex: new ParamIndex(params, map),
  };
}

let splitPath = '';
let splitQuery: string | null = null;

/**
 * Path and query of `scheme://host/path?query#hash`, as `splitUrl` gives them, left in
 * `splitPath` / `splitQuery` rather than in a new object per request (the recogniser needs
 * nothing else). False for non-URLs, by the same rules as `splitUrl`.
 */
function pathAndQuery(url: string): boolean {
  const colon = url.indexOf('://');
  if (colon < 1) return false;
  for (let i = 0; i < colon; i++) {
    const c = url.charCodeAt(i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alpha && (i === 0 || !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46))) return false;
  }
  const start = colon + 3;
  let end = url.indexOf('#', start);
  if (end === -1) end = url.length;
  let queryAt = url.indexOf('?', start);
  if (queryAt > end) queryAt = -1;
  const pathEnd = queryAt === -1 ? end : queryAt;
  let slashAt = url.indexOf('/', start);
  if (slashAt === -1 || slashAt > pathEnd) slashAt = pathEnd;
  // An empty host (`https:///x`, `https://user@/x`) is not a URL.
  if (slashAt === start || url.lastIndexOf('@', slashAt - 1) === slashAt - 1) return false;
  splitPath = slashAt === pathEnd ? '/' : url.slice(slashAt, pathEnd);
  splitQuery = queryAt === -1 ? null : url.slice(queryAt + 1, end);
  return true;
}

/**
 * What a URL is: which system, which kind (postback, pixel, click, landing …), its click id,
 * normalised fields, unknown params and unreplaced macros. Null means "not ours".
 * Detection is by path and params only. Never throws.
 */
export function recognize(url: string, opts?: RecognizeOptions): Recognition | null {
  if (opts !== undefined) return recognizeDetailed(url, opts)?.recognition ?? null;
  // The path every request of every tab takes: no option handling, no detail objects.
  if (typeof url !== 'string') return null;
  builtInRegistry ??= compileRegistry(builtInSystems);
  const registry = builtInRegistry;
  if (!registry.prefilter(url)) return null;
  if (!pathAndQuery(url)) return null;
  const path = splitPath;
  const params = readParams(splitQuery, undefined);
  const map = lastMap(params);
  const m = match(registry, path, params, map, undefined);
  return m === null ? null : build(url, registry, m, params, map);
}

/**
 * Every click-id-like param of any URL, in URL order, macros flagged: the content script and
 * the click-id trail call this on every navigation, recognised or not. On a recognised URL the
 * recognising system's roles apply (Keitaro's `aff_sub` inside a postback carries its subid);
 * elsewhere only distinctive names count (`subid`, `transaction_id`, `aff_click_id` …), never
 * generic ones like `cid` or `tid` that analytics send on every page. Never throws.
 */
export function findClickIds(url: string, opts?: RecognizeOptions): ClickId[] {
  if (typeof url !== 'string') return [];
  const recognition = recognize(url, opts);
  if (recognition !== null) return recognition.clickIds;
  const registry = registryFor(opts);
  const body = opts?.body;
  if ((body === undefined || body === '') && !registry.anywhereFilter(url)) return [];
  const parts = splitUrl(url);
  if (parts === null) return [];
  const out: ClickId[] = [];
  for (const p of readParams(parts.query, body)) {
    const role = registry.anywhere.get(p.rawName);
    if (role !== undefined) out.push({ param: p.name, value: p.value, role, macro: p.macro !== null });
  }
  return out;
}
