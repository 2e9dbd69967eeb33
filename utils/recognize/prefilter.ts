import type { SystemDefinition, UrlShape } from '../systems/schema';

/**
 * The cheap "not ours" test that runs before any parsing.
 *
 * Every request of every tab goes through the recogniser, and nearly all of them are ordinary
 * traffic (analytics, images, fonts, APIs). A shape can only match when its path marker
 * (`/postback`, `/aff_lsr`, `/p.ashx` …) or, for path-less shapes, one of its required params
 * (`subid`, `_lp`, `nid` …) appears in the URL. So one scan for the union of those markers,
 * built once from the registry, rejects ordinary URLs without `new URL()` and without
 * splitting the query (bench/recognize.ts measures it against `new URL()`).
 *
 * The test is a necessary condition only: a URL that passes may still match nothing.
 * Param names are compared as written, like the recogniser does, so the two always agree.
 */

export interface Markers {
  /** Literals that appear in the path of every URL a shape matches. */
  paths: Array<{ text: string; ignoreCase: boolean }>;
  /** Param names, one of which every URL of a path-less shape carries. */
  params: string[];
  /** True when some shape has no marker at all: then nothing can be rejected early. */
  unbounded: boolean;
}

function pathMarker(shape: UrlShape): { text: string; ignoreCase: boolean } | null {
  const p = shape.path;
  if (p.type === 'exact') return { text: p.path, ignoreCase: p.ignoreCase === true };
  if (p.type === 'lastSegment') return { text: `/${p.segment}`, ignoreCase: p.ignoreCase === true };
  if (p.type === 'regex' && p.marker !== undefined)
    return { text: p.marker, ignoreCase: p.ignoreCase === true };
  return null;
}

/** Collects the markers of every shape of every system. */
export function collectMarkers(list: readonly SystemDefinition[]): Markers {
  const markers: Markers = { paths: [], params: [], unbounded: false };
  for (const system of list) {
    for (const shape of system.shapes) {
      const path = pathMarker(shape);
      if (path !== null) {
        markers.paths.push(path);
      } else if (shape.required !== undefined && shape.required.length > 0) {
        // Any one required param is a necessary condition; the first is enough.
        markers.params.push(shape.required[0] as string);
      } else if (shape.anyOf !== undefined && shape.anyOf.length > 0) {
        markers.params.push(...shape.anyOf);
      } else {
        markers.unbounded = true;
      }
    }
  }
  return markers;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;

function escapeChar(c: string): string {
  return c.replace(REGEX_SPECIAL, '\\$&');
}

function caseless(text: string): string {
  let out = '';
  for (const c of text) {
    const lo = c.toLowerCase();
    const up = c.toUpperCase();
    out += lo === up ? escapeChar(c) : `[${escapeChar(lo)}${escapeChar(up)}]`;
  }
  return out;
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * An alternation of literals as a trie (`sub(?:id|_id)` rather than `subid|sub_id`): the
 * regex engine then decides each position on one character instead of trying every word.
 */
export function literalAlternation(words: readonly string[]): string {
  const root: TrieNode = { end: false, next: new Map() };
  for (const word of words) {
    let node = root;
    for (const c of word) {
      let child = node.next.get(c);
      if (child === undefined) {
        child = { end: false, next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    const alts: string[] = [];
    for (const [c, child] of node.next) alts.push(escapeChar(c) + emit(child));
    if (alts.length === 0) return '';
    const body = alts.length === 1 && !node.end ? (alts[0] as string) : `(?:${alts.join('|')})`;
    return node.end ? `${alts.length === 1 ? `(?:${body})` : body}?` : body;
  };
  return emit(root);
}

/** Drops markers that contain a shorter marker as a prefix: `/aff_l` already covers `/aff_lsr`. */
function minimalPaths(paths: Markers['paths']): Markers['paths'] {
  const unique = new Map<string, { text: string; ignoreCase: boolean }>();
  for (const p of paths) unique.set(`${p.ignoreCase ? 'i' : 's'}${p.text}`, p);
  const list = [...unique.values()];
  return list.filter(
    (p) =>
      !list.some(
        (q) =>
          q !== p &&
          q.text.length < p.text.length &&
          (q.ignoreCase
            ? p.text.toLowerCase().startsWith(q.text.toLowerCase())
            : !p.ignoreCase && p.text.startsWith(q.text)),
      ),
  );
}

export type Prefilter = (url: string) => boolean;

/** Builds the pre-filter for a set of markers. */
export function createPrefilter(markers: Markers): Prefilter {
  if (markers.unbounded) return () => true;
  const paths = minimalPaths(markers.paths);
  // Markers nearly always start with "/": factor it out, so the engine tests one character
  // before trying any word (`\/(?:postback|aff_…)` rather than `\/postback|\/aff_…`).
  const slash = paths.length > 0 && paths.every((p) => p.text.startsWith('/') && p.text.length > 1);
  const body = (p: { text: string }) => (slash ? p.text.slice(1) : p.text);
  const exact = paths.filter((p) => !p.ignoreCase).map(body);
  const loose = paths.filter((p) => p.ignoreCase).map((p) => caseless(body(p)));
  const alts = [...(exact.length > 0 ? [literalAlternation(exact)] : []), ...loose];
  const pathRe = alts.length > 0 ? new RegExp(slash ? `\\/(?:${alts.join('|')})` : alts.join('|')) : null;
  const params = [...new Set(markers.params)];
  // Global, to be searched from the query on (`lastIndex`) with nothing cut from the URL.
  const paramRe =
    params.length > 0 ? new RegExp(`[?&](?:${literalAlternation(params)})(?=[=&#]|$)`, 'g') : null;
  return (url: string): boolean => {
    const q = url.indexOf('?');
    if (pathRe !== null) {
      // Only the path can hold a path marker: skip `scheme://host`, stop at the query (a
      // marker in the hash only lets a URL through, which is allowed).
      const start = url.indexOf('/', url.indexOf(':') + 3);
      const end = q === -1 ? url.length : q;
      if (start !== -1 && start < end && pathRe.test(url.slice(start, end))) return true;
    }
    if (paramRe === null || q === -1) return false;
    paramRe.lastIndex = q;
    return paramRe.test(url);
  };
}

/** The pre-filter for a list of systems. */
export function compilePrefilter(list: readonly SystemDefinition[]): Prefilter {
  return createPrefilter(collectMarkers(list));
}
