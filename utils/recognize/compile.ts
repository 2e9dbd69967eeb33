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
  /** Normalised field the param feeds (its own name when it has no alias). */
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
  matchPath: (path: string) => Captures | null;
  required: readonly string[];
  anyOf: readonly string[];
  anyOfSet: ReadonlySet<string>;
  forbidden: readonly string[];
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
      const re = new RegExp(p.pattern, p.ignoreCase ? 'i' : '');
      return (path) => {
        const m = re.exec(path);
        if (m === null) return null;
        if (m.groups === undefined) return NO_CAPTURES;
        const out: Record<string, string> = Object.create(null);
        for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) out[k] = v;
        return out;
      };
    }
  }
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
    anywhereFilter: (url) => anywhereRe?.test(url) === true,
  };
  registryCache.set(list, registry);
  return registry;
}
