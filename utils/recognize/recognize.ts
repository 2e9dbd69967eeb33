import { systems as builtInSystems } from '../systems';
import type { SystemDefinition } from '../systems/schema';
import { parseBody, parseQuery, type QueryParam } from '../url/parse-query';
import { splitUrl, type UrlParts } from '../url/split-url';
import {
  type CompiledRegistry,
  type CompiledShape,
  type CompiledSystem,
  compileRegistry,
  type ParamInfo,
} from './compile';
import { detectMacro, type MacroStyle } from './macros';
import type { ClickId, Macro, Param, Recognition } from './schema';

export interface RecognizeOptions {
  /** HTTP method; only matters for shapes that list `methods`. */
  method?: string;
  /** Request body (form-urlencoded or JSON). Merged after the query params, as Keitaro does [L1]. */
  body?: string;
  /** Systems to recognise; the built-in registry when absent. */
  systems?: readonly SystemDefinition[];
}

/** A param with its macro style worked out once. */
export interface ReadParam extends QueryParam {
  macro: MacroStyle | null;
}

/** Everything recognition found, for diagnostics and the builder; `recognition` is the public part. */
export interface RecognizeDetail {
  recognition: Recognition;
  system: CompiledSystem;
  shape: CompiledShape;
  parts: UrlParts;
  params: ReadParam[];
  /** Param name as written → index of its last occurrence (the one PHP trackers use). */
  lastIndex: Map<string, number>;
}

function registryFor(opts: RecognizeOptions | undefined): CompiledRegistry {
  return compileRegistry(opts?.systems ?? builtInSystems);
}

/** Parses what recognition needs: URL parts and query + body params. Null for non-URLs. */
export function readRequest(
  url: string,
  body: string | undefined,
): { parts: UrlParts; params: ReadParam[]; lastIndex: Map<string, number> } | null {
  const parts = splitUrl(url);
  if (parts === null) return null;
  const raw = parts.query === null ? [] : parseQuery(parts.query);
  if (body !== undefined && body !== '') for (const p of parseBody(body)) raw.push(p);
  const params: ReadParam[] = new Array(raw.length);
  const lastIndex = new Map<string, number>();
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i] as QueryParam;
    const eq = p.raw.indexOf('=');
    params[i] = { ...p, macro: detectMacro(p.value, eq === -1 ? '' : p.raw.slice(eq + 1)) };
    lastIndex.set(p.rawName, i);
  }
  return { parts, params, lastIndex };
}

function shapeMatches(
  c: CompiledShape,
  path: string,
  params: readonly ReadParam[],
  lastIndex: Map<string, number>,
  method: string | undefined,
): Readonly<Record<string, string>> | null {
  if (c.methods !== null && method !== undefined && !c.methods.has(method.toUpperCase())) return null;
  const captures = c.matchPath(path);
  if (captures === null) return null;
  for (const name of c.required) if (!lastIndex.has(name)) return null;
  if (c.anyOf.length > 0 && !c.anyOf.some((name) => lastIndex.has(name))) return null;
  for (const name of c.forbidden) if (lastIndex.has(name)) return null;
  for (const cond of c.values) {
    const i = lastIndex.get(cond.param);
    const ok = i !== undefined && cond.test((params[i] as ReadParam).value);
    if (ok === cond.negate) return null;
  }
  return captures;
}

function primaryClickId(
  shape: CompiledShape,
  table: Map<string, ParamInfo>,
  params: readonly ReadParam[],
  lastIndex: Map<string, number>,
): ClickId | null {
  let empty: ClickId | null = null;
  for (const name of shape.clickId) {
    const i = lastIndex.get(name);
    if (i === undefined) continue;
    const p = params[i] as ReadParam;
    if (p.macro !== null) continue;
    const role = table.get(name)?.role ?? 'click';
    if (p.value !== '') return { param: p.name, value: p.value, role, macro: false };
    if (empty === null) empty = { param: p.name, value: '', role, macro: false };
  }
  return empty;
}

function build(
  url: string,
  registry: CompiledRegistry,
  system: CompiledSystem,
  shape: CompiledShape,
  kind: Recognition['kind'],
  captures: Readonly<Record<string, string>>,
  params: readonly ReadParam[],
  lastIndex: Map<string, number>,
): Recognition {
  const table = system.paramsFor(kind);
  const clickIds: ClickId[] = [];
  const unknownParams: Param[] = [];
  const macros: Macro[] = [];
  // Best alias per field: lower rank wins, and among equals the later occurrence (PHP keeps the last).
  const winner = new Map<string, number>();
  const infos = new Array(params.length);
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as ReadParam;
    const info = table.get(p.rawName);
    infos[i] = info;
    if (p.macro !== null) macros.push({ param: p.name, value: p.value, style: p.macro });
    const role = info?.role ?? registry.anywhere.get(p.rawName);
    if (role !== undefined) clickIds.push({ param: p.name, value: p.value, role, macro: p.macro !== null });
    if (info === undefined) {
      unknownParams.push({ name: p.name, value: p.value });
      continue;
    }
    const best = winner.get(info.field);
    if (best === undefined || info.rank <= (infos[best] as { rank: number }).rank) winner.set(info.field, i);
  }
  const fields: Record<string, string> = Object.create(null);
  for (let i = 0; i < params.length; i++) {
    const info = infos[i];
    if (info === undefined) continue;
    const p = params[i] as ReadParam;
    const w = winner.get(info.field) as number;
    if (w === i) fields[info.field] = p.value;
    else if ((params[w] as ReadParam).rawName !== p.rawName && lastIndex.get(p.rawName) === i) {
      // A second alias of the same field (`revenue` next to `payout`): kept under its own name.
      if (!(p.name in fields)) fields[p.name] = p.value;
    }
  }
  for (const k in captures) fields[k] = captures[k] as string;
  return {
    system: system.def.id,
    kind,
    url,
    clickId: primaryClickId(shape, table, params, lastIndex),
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
  const read = readRequest(url, body);
  if (read === null) return null;
  const { parts, params, lastIndex } = read;
  let best: {
    system: CompiledSystem;
    shape: CompiledShape;
    captures: Readonly<Record<string, string>>;
    kind: Recognition['kind'];
  } | null = null;
  for (const system of registry.systems) {
    for (const shape of system.shapes) {
      const captures = shapeMatches(shape, parts.path, params, lastIndex, opts?.method);
      if (captures === null) continue;
      let kind = shape.shape.kind;
      const refine = system.def.refine;
      if (refine !== undefined) {
        const verdict = refine({ kind, path: parts.path, params });
        if (verdict === false) break;
        if (verdict?.kind !== undefined) kind = verdict.kind;
      }
      // Within a system the first matching shape decides; between systems the more specific
      // shape wins, and on a tie the system listed first.
      if (best === null || shape.score > best.shape.score) best = { system, shape, captures, kind };
      break;
    }
  }
  if (best === null) return null;
  const recognition = build(
    url,
    registry,
    best.system,
    best.shape,
    best.kind,
    best.captures,
    params,
    lastIndex,
  );
  return { recognition, system: best.system, shape: best.shape, parts, params, lastIndex };
}

/**
 * What a URL is: which system, which kind (postback, pixel, click, landing …), its click id,
 * normalised fields, unknown params and unreplaced macros. Null means "not ours".
 * Detection is by path and params only. Never throws.
 */
export function recognize(url: string, opts?: RecognizeOptions): Recognition | null {
  return recognizeDetailed(url, opts)?.recognition ?? null;
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
  const detail = recognizeDetailed(url, opts);
  if (detail !== null) return detail.recognition.clickIds;
  const registry = compileRegistry(opts?.systems ?? builtInSystems);
  const body = opts?.body;
  if ((body === undefined || body === '') && !registry.anywhereFilter(url)) return [];
  const read = readRequest(url, body);
  if (read === null) return [];
  const out: ClickId[] = [];
  for (const p of read.params) {
    const role = registry.anywhere.get(p.rawName);
    if (role !== undefined) out.push({ param: p.name, value: p.value, role, macro: p.macro !== null });
  }
  return out;
}
