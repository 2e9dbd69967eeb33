import { z } from 'zod/mini';
import { recognize } from '../recognize/recognize';
import { KindSchema } from '../recognize/schema';
import type { SystemDefinition } from '../systems/schema';
import { decodeComponent, encodeComponent } from '../url/decode';

/**
 * A postback URL as an editable model, lossless both ways: every param keeps the text it was
 * written with (`raw`), and only params whose name or value changed are re-encoded. So an
 * untouched URL rebuilds byte for byte — a replay sends exactly what was captured — and an
 * edited one differs only where it was edited.
 */

export const ModelParamSchema = z.object({
  /** Decoded name. */
  name: z.string(),
  /** Decoded value. */
  value: z.string(),
  /** The pair as written (`sub%5Fid=a+b`); absent for params added by hand. */
  raw: z.optional(z.string()),
});
export type ModelParam = z.infer<typeof ModelParamSchema>;

export const PostbackModelSchema = z.object({
  /** Recognised system id, or null. */
  system: z.nullable(z.string()),
  kind: z.nullable(KindSchema),
  /** Everything before `?` (scheme, host and path as written). */
  base: z.string(),
  /** Query params in order. A bare `?` is one empty param, so that it survives a rebuild. */
  params: z.array(ModelParamSchema),
  /** Text after `#`, or null when there is none. */
  hash: z.nullable(z.string()),
});
export type PostbackModel = z.infer<typeof PostbackModelSchema>;

function splitPair(raw: string): { name: string; value: string } {
  const eq = raw.indexOf('=');
  return eq === -1
    ? { name: decodeComponent(raw), value: '' }
    : { name: decodeComponent(raw.slice(0, eq)), value: decodeComponent(raw.slice(eq + 1)) };
}

/** Splits any string into base, params and hash. Never throws; works on non-URLs too. */
export function parsePostbackUrl(
  url: string,
  opts?: { systems?: readonly SystemDefinition[] },
): PostbackModel {
  const text = typeof url === 'string' ? url : '';
  const hashAt = text.indexOf('#');
  const beforeHash = hashAt === -1 ? text : text.slice(0, hashAt);
  const q = beforeHash.indexOf('?');
  const base = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const params: ModelParam[] =
    q === -1
      ? []
      : beforeHash
          .slice(q + 1)
          .split('&')
          .map((raw) => ({ ...splitPair(raw), raw }));
  const rec = recognize(text, { systems: opts?.systems });
  return {
    system: rec?.system ?? null,
    kind: rec?.kind ?? null,
    base,
    params,
    hash: hashAt === -1 ? null : text.slice(hashAt + 1),
  };
}

function encodePair(p: ModelParam): string {
  if (p.name === '' && p.value === '') return '';
  return `${encodeComponent(p.name)}=${encodeComponent(p.value)}`;
}

function rawFits(p: ModelParam): boolean {
  if (p.raw === undefined) return false;
  const read = splitPair(p.raw);
  return read.name === p.name && read.value === p.value;
}

/** The URL for a model: untouched params as written, changed ones encoded. */
export function buildPostbackUrl(model: PostbackModel): string {
  let out = model.base;
  if (model.params.length > 0) {
    out += '?';
    for (let i = 0; i < model.params.length; i++) {
      const p = model.params[i] as ModelParam;
      if (i > 0) out += '&';
      out += rawFits(p) ? (p.raw as string) : encodePair(p);
    }
  }
  if (model.hash !== null) out += `#${model.hash}`;
  return out;
}

function isPlaceholder(p: ModelParam): boolean {
  return p.name === '' && p.value === '';
}

/**
 * Sets a param: the first occurrence gets the value and later duplicates go (trackers in PHP
 * read the last one, so a leftover duplicate would silently win); a new param is appended.
 */
export function setParam(model: PostbackModel, name: string, value: string): PostbackModel {
  const first = model.params.findIndex((p) => p.name === name);
  if (first === -1) {
    return { ...model, params: [...model.params.filter((p) => !isPlaceholder(p)), { name, value }] };
  }
  const params: ModelParam[] = [];
  model.params.forEach((p, i) => {
    if (i === first) params.push(p.value === value ? p : { ...p, value });
    else if (p.name !== name) params.push(p);
  });
  return { ...model, params };
}

/** Removes every occurrence of a param. */
export function removeParam(model: PostbackModel, name: string): PostbackModel {
  return { ...model, params: model.params.filter((p) => p.name !== name) };
}

/** The value a PHP tracker would read: the last occurrence. */
export function getParam(model: PostbackModel, name: string): string | undefined {
  for (let i = model.params.length - 1; i >= 0; i--) {
    const p = model.params[i] as ModelParam;
    if (p.name === name) return p.value;
  }
  return undefined;
}

/** A problem with one form field. */
export interface FieldError {
  field: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}
