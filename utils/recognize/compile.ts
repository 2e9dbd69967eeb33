import type { SystemDefinition, UrlShape, ValueCondition } from '../systems/schema';
import { compilePrefilter, literalAlternation, type Prefilter } from './prefilter';
import type { ClickId, Kind } from './schema';

/**
 * Turns the registry's plain data into lookup tables once per list of systems, so that
 * recognising one URL is a few Map lookups per param instead of scans over definitions.
 */

export type ClickIdRole = ClickId['role'];

/** What a system knows about one param name. */
export interface ParamInfo {
  /** Normalised field the param feeds (its own name when it has no alias); `''` for a click id the system itself does not know. */
  field: string;
  /** Position in the field's alias list: the lowest rank present wins. */
  rank: number;
  role: ClickIdRole | undefined;
}

export type Captures = Readonly<Record<string, string>>;

interface CompiledCondition {
  param: string;
  test: (value: string) => boolean;
  negate: boolean;
}

export const PATH_ANY = 0;
export const PATH_EXACT = 1;
export const PATH_SEGMENT = 2;
export const PATH_REGEX = 3;

export interface CompiledShape {
  shape: UrlShape;
  /** PATH_ANY / PATH_EXACT / PATH_SEGMENT / PATH_REGEX. */
  pathType: number;
  /** Exact path (trimmed) or last segment to compare with; lower-cased when `ignoreCase`. */
  pathKey: string;
  ignoreCase: boolean;
  /** Literal a regex path must contain (checked before running the regex). */
  marker: string | undefined;
  /** The full path test, with named captures (the recogniser calls it for regex paths only). */
  matchPath: (path: string) => Captures | null;
  required: readonly string[];
  anyOf: readonly string[];
  anyOfSet: ReadonlySet<string>;
  forbidden: readonly string[];
  forbiddenSet: ReadonlySet<string>;
  values: readonly CompiledCondition[];
  methods: ReadonlySet<string> | null;
  clickId: readonly string[];
  /** Specificity: decides between systems that both claim a URL. */
  score: number;
}

export interface CompiledSystem {
  def: SystemDefinition;
  shapes: CompiledShape[];
  /** `bestScoreFrom[i]`: the highest score among shapes i… (a system that cannot win is skipped). */
  bestScoreFrom: number[];
  /**
   * Whether any shape's path can match, from a few string compares: most systems live on a
   * handful of paths (`/postback`, `/aff_lsr` …), so most URLs skip them without a shape test.
   */
  mayMatchPath: (path: string, trimmed: string, last: string) => boolean;
  /** The system's param table for one kind (aliases and roles can be limited to kinds). */
  paramsFor: (kind: Kind) => Map<string, ParamInfo>;
}

export interface CompiledRegistry {
  list: readonly SystemDefinition[];
  systems: CompiledSystem[];
  byId: Map<string, CompiledSystem>;
  prefilter: Prefilter;
  /** Click-id params worth reporting on any URL, with the role of the first system that claims them. */
  anywhere: Map<string, ClickIdRole>;
  /**
   * A system's param table for a kind, plus the registry's anywhere click ids it does not
   * know (as `field: ''`), so that building a recognition is one lookup per param.
   */
  tableFor: (systemIndex: number, kind: Kind) => Map<string, ParamInfo>;
  /** Cheap test for "may carry an anywhere click id" (used by findClickIds on unrecognised URLs). */
  anywhereFilter: (url: string) => boolean;
}

export const NO_CAPTURES: Captures = Object.freeze(Object.create(null));

function compilePath(shape: UrlShape): (path: string) => Captures | null {
  const p = shape.path;
  switch (p.type) {
    case 'any':
      return () => NO_CAPTURES;
    case 'exact': {
      const target = trimPath(p.ignoreCase ? p.path.toLowerCase() : p.path);
      return (path) => (trimPath(p.ignoreCase ? path.toLowerCase() : path) === target ? NO_CAPTURES : null);
    }
    case 'lastSegment': {
      const seg = p.ignoreCase ? p.segment.toLowerCase() : p.segment;
      return (path) => {
        let end = path.length;
        if (end > 1 && path.charCodeAt(end - 1) === 47) end--;
        const start = path.lastIndexOf('/', end - 1) + 1;
        if (end - start !== seg.length) return null;
        const v = path.slice(start, end);
        return (p.ignoreCase ? v.toLowerCase() : v) === seg ? NO_CAPTURES : null;
      };
    }
    case 'regex': {
      const flags = p.ignoreCase ? 'i' : '';
      const names = [...p.pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1] as string);
      if (names.length === 0) {
        const re = new RegExp(p.pattern, flags);
        return (path) => (re.test(path) ? NO_CAPTURES : null);
      }
      const plain = plainGroups(p.pattern);
      if (plain !== null) {
        // Read captures by index: V8 builds a dictionary object for `groups` on every match.
        const re = new RegExp(plain, flags);
        return (path) => {
          const m = re.exec(path);
          if (m === null) return null;
          const out: Record<string, string> = Object.create(null);
          for (let i = 0; i < names.length; i++) {
            const v = m[i + 1];
            if (v !== undefined) out[names[i] as string] = v;
          }
          return out;
        };
      }
      const re = new RegExp(p.pattern, flags);
      return (path) => {
        const m = re.exec(path);
        if (m === null) return null;
        const out: Record<string, string> = Object.create(null);
        const groups = m.groups ?? {};
        for (const k of Object.keys(groups)) {
          const v = groups[k];
          if (v !== undefined) out[k] = v;
        }
        return out;
      };
    }
  }
}

/**
 * The pattern with `(?<name>` turned into `(`, when every capturing group is named and no
 * back-reference uses a name (so group i + 1 is the i-th name); otherwise null.
 */
function plainGroups(pattern: string): string | null {
  if (pattern.includes('\\k<')) return null;
  const bare = pattern.replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  if (/\((?!\?)/.test(bare)) return null;
  return pattern.replace(/\(\?<[A-Za-z_$][\w$]*>/g, '(');
}

function compileCondition(c: ValueCondition): CompiledCondition {
  const ci = c.ignoreCase === true;
  const oneOf = c.oneOf ? new Set(c.oneOf.map((v) => (ci ? v.toLowerCase() : v))) : null;
  const re = c.pattern !== undefined ? new RegExp(c.pattern, ci ? 'i' : '') : null;
  return {
    param: c.param,
    negate: c.negate === true,
    test: (value) => {
      if (oneOf !== null && !oneOf.has(ci ? value.toLowerCase() : value)) return false;
      if (re !== null && !re.test(value)) return false;
      return true;
    },
  };
}

function pathScore(shape: UrlShape): number {
  switch (shape.path.type) {
    case 'any':
      return 0;
    case 'exact':
      return 4;
    default:
      return 3;
  }
}

function compileShape(shape: UrlShape, def: SystemDefinition): CompiledShape {
  const required = shape.required ?? [];
  const anyOf = shape.anyOf ?? [];
  const values = (shape.values ?? []).map(compileCondition);
  const p = shape.path;
  return {
    shape,
    pathType:
      p.type === 'any'
        ? PATH_ANY
        : p.type === 'exact'
          ? PATH_EXACT
          : p.type === 'lastSegment'
            ? PATH_SEGMENT
            : PATH_REGEX,
    pathKey:
      p.type === 'exact'
        ? trimPath(p.ignoreCase ? p.path.toLowerCase() : p.path)
        : p.type === 'lastSegment'
          ? p.ignoreCase
            ? p.segment.toLowerCase()
            : p.segment
          : '',
    ignoreCase: p.type !== 'any' && p.ignoreCase === true,
    marker: p.type === 'regex' && p.ignoreCase !== true ? p.marker : undefined,
    matchPath: compilePath(shape),
    required,
    anyOf,
    anyOfSet: new Set(anyOf),
    forbidden: shape.forbidden ?? [],
    forbiddenSet: new Set(shape.forbidden ?? []),
    values,
    methods: shape.methods ? new Set(shape.methods.map((m) => m.toUpperCase())) : null,
    // Without a list, the system's click-id params for this kind, in declaration order.
    clickId:
      shape.clickId ??
      def.clickIds.filter((c) => c.kinds === undefined || c.kinds.includes(shape.kind)).map((c) => c.param),
    score:
      pathScore(shape) + required.length + (anyOf.length > 0 ? 1 : 0) + values.length + (shape.priority ?? 0),
  };
}

function buildParams(def: SystemDefinition, kind: Kind): Map<string, ParamInfo> {
  const applies = (kinds: readonly Kind[] | undefined) => kinds === undefined || kinds.includes(kind);
  const params = new Map<string, ParamInfo>();
  const roles = new Map<string, ClickIdRole>();
  for (const c of def.clickIds) if (applies(c.kinds) && !roles.has(c.param)) roles.set(c.param, c.role);
  const ranks = new Map<string, number>();
  for (const alias of def.fields) {
    if (!applies(alias.kinds)) continue;
    for (const name of alias.params) {
      const rank = ranks.get(alias.field) ?? 0;
      ranks.set(alias.field, rank + 1);
      if (!params.has(name)) params.set(name, { field: alias.field, rank, role: roles.get(name) });
    }
  }
  const own = (name: string) => {
    if (!params.has(name)) params.set(name, { field: name, rank: 0, role: roles.get(name) });
  };
  def.knownParams.forEach(own);
  for (const name of roles.keys()) own(name);
  for (const shape of def.shapes) {
    if (shape.kind !== kind) continue;
    for (const name of [...(shape.required ?? []), ...(shape.anyOf ?? []), ...(shape.clickId ?? [])])
      own(name);
    for (const v of shape.values ?? []) own(v.param);
  }
  return params;
}

function compileSystem(def: SystemDefinition): CompiledSystem {
  const byKind = new Map<Kind, Map<string, ParamInfo>>();
  const shapes = def.shapes.map((shape) => compileShape(shape, def));
  const bestScoreFrom = shapes.map((_, i) => Math.max(...shapes.slice(i).map((c) => c.score)));
  return {
    def,
    shapes,
    bestScoreFrom,
    mayMatchPath: pathGate(shapes),
    paramsFor: (kind) => {
      let params = byKind.get(kind);
      if (params === undefined) {
        params = buildParams(def, kind);
        byKind.set(kind, params);
      }
      return params;
    },
  };
}

/** A path without one trailing slash (the root stays `/`). */
export function trimPath(path: string): string {
  return path.length > 1 && path.charCodeAt(path.length - 1) === 47 ? path.slice(0, -1) : path;
}

function pathGate(shapes: readonly CompiledShape[]): CompiledSystem['mayMatchPath'] {
  if (shapes.some((c) => c.pathType === PATH_ANY || (c.pathType === PATH_REGEX && c.marker === undefined))) {
    return () => true;
  }
  // Plain arrays: a system has a handful of paths, and comparing strings of different
  // lengths is cheaper than hashing a fresh path for a Set lookup.
  const exact: string[] = [];
  const exactLower: string[] = [];
  const segment: string[] = [];
  const segmentLower: string[] = [];
  const markers: string[] = [];
  const add = (list: string[], key: string) => {
    if (!list.includes(key)) list.push(key);
  };
  for (const c of shapes) {
    if (c.pathType === PATH_EXACT) add(c.ignoreCase ? exactLower : exact, c.pathKey);
    else if (c.pathType === PATH_SEGMENT) add(c.ignoreCase ? segmentLower : segment, c.pathKey);
    else if (c.marker !== undefined) add(markers, c.marker);
  }
  return (path, trimmed, last) => {
    for (let i = 0; i < exact.length; i++) if (trimmed === exact[i]) return true;
    for (let i = 0; i < segment.length; i++) if (last === segment[i]) return true;
    for (let i = 0; i < exactLower.length; i++) {
      const key = exactLower[i] as string;
      if (trimmed.length === key.length && trimmed.toLowerCase() === key) return true;
    }
    for (let i = 0; i < segmentLower.length; i++) {
      const key = segmentLower[i] as string;
      if (last.length === key.length && last.toLowerCase() === key) return true;
    }
    for (let i = 0; i < markers.length; i++) if (path.includes(markers[i] as string)) return true;
    return false;
  };
}

const systemCache = new WeakMap<SystemDefinition, CompiledSystem>();
const registryCache = new WeakMap<readonly SystemDefinition[], CompiledRegistry>();

/** Compiles a list of systems; cached per list (and per definition) by identity. */
export function compileRegistry(list: readonly SystemDefinition[]): CompiledRegistry {
  const cached = registryCache.get(list);
  if (cached !== undefined) return cached;
  const compiled = list.map((def) => {
    let c = systemCache.get(def);
    if (c === undefined) {
      c = compileSystem(def);
      systemCache.set(def, c);
    }
    return c;
  });
  const tables: Array<Map<Kind, Map<string, ParamInfo>>> = [];
  const anywhere = new Map<string, ClickIdRole>();
  for (const def of list) {
    for (const c of def.clickIds)
      if (c.anywhere === true && !anywhere.has(c.param)) anywhere.set(c.param, c.role);
  }
  const anywhereRe =
    anywhere.size > 0 ? new RegExp(`[?&](?:${literalAlternation([...anywhere.keys()])})(?=[=&#]|$)`) : null;
  const registry: CompiledRegistry = {
    list,
    systems: compiled,
    byId: new Map(compiled.map((c) => [c.def.id, c])),
    prefilter: compilePrefilter(list),
    anywhere,
    tableFor: (systemIndex, kind) => {
      let byKind = tables[systemIndex];
      if (byKind === undefined) {
        byKind = new Map();
        tables[systemIndex] = byKind;
      }
      let table = byKind.get(kind);
      if (table === undefined) {
        table = new Map((compiled[systemIndex] as CompiledSystem).paramsFor(kind));
        for (const [param, role] of anywhere)
          if (!table.has(param)) table.set(param, { field: '', rank: 0, role });
        byKind.set(kind, table);
      }
      return table;
    },
    anywhereFilter: (url) => anywhereRe?.test(url) === true,
  };
  registryCache.set(list, registry);
  return registry;
}
