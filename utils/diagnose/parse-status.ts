/**
 * Keitaro conversion statuses: what an incoming `status=` value becomes, from the status
 * data in utils/systems/keitaro.ts. The "replace, not extend" rule for `sale_status=` etc.
 * is from the unofficial v9 code [L2]; matching is case-insensitive [L2].
 */

import {
  KEITARO_STATUS_ALIASES,
  KEITARO_STATUSES,
  type KeitaroBucket,
  KEITARO_NEWER_STATUSES as NEWER,
} from '../systems/keitaro';

export type { KeitaroBucket };
export { KEITARO_STATUS_ALIASES, KEITARO_STATUSES };

export interface StatusReading {
  /** The value as given (trimmed). */
  input: string;
  /** Where Keitaro files it; null when missing, unknown, or version-dependent. */
  bucket: KeitaroBucket | null;
  /**
   * - `missing`: no status (the docs disagree on what happens, see diagnose-url)
   * - `status`: a built-in status name
   * - `alias`: a built-in alias (`approved` → sale)
   * - `custom`: listed in the request's `sale_status=` / `lead_status=` / … lists
   * - `newer`: a status newer Keitaro shows (`registration`, `deposit`) [G6][O1]
   * - `unknown`: none of the above
   */
  via: 'missing' | 'status' | 'alias' | 'custom' | 'newer' | 'unknown';
}

/** Per-request bucket lists: `sale_status=approved,paid` etc. [K1][L2]. */
export interface StatusOverrides {
  sale_status?: string;
  lead_status?: string;
  rejected_status?: string;
  ignore_status?: string;
}

const OVERRIDE_BUCKET: ReadonlyArray<[keyof StatusOverrides, KeitaroBucket]> = [
  ['sale_status', 'sale'],
  ['lead_status', 'lead'],
  ['rejected_status', 'rejected'],
  ['ignore_status', 'ignore'],
];

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

function aliasBucket(lower: string, overrides: StatusOverrides | undefined): KeitaroBucket | null {
  for (const bucket of ['sale', 'rejected', 'ignore'] as const) {
    // A given list replaces the built-in one [L2].
    const key = `${bucket}_status` as keyof StatusOverrides;
    if (overrides?.[key] !== undefined) continue;
    if (KEITARO_STATUS_ALIASES[bucket].some((a) => a.toLowerCase() === lower)) return bucket;
  }
  return null;
}

/**
 * Reads a Keitaro status value. Built-in names keep their meaning whatever the overrides
 * say; whether Keitaro itself still honours `sale` after `sale_status=` replaced the list
 * that contains it is not documented.
 */
export function parseStatus(value: string | null | undefined, overrides?: StatusOverrides): StatusReading {
  const input = typeof value === 'string' ? value.trim() : '';
  if (input === '') return { input, bucket: null, via: 'missing' };
  const lower = input.toLowerCase();
  if (overrides !== undefined) {
    for (const [key, bucket] of OVERRIDE_BUCKET) {
      const list = overrides[key];
      if (list !== undefined && splitList(list).includes(lower)) return { input, bucket, via: 'custom' };
    }
  }
  if ((KEITARO_STATUSES as readonly string[]).includes(lower))
    return { input, bucket: lower as KeitaroBucket, via: 'status' };
  const alias = aliasBucket(lower, overrides);
  if (alias !== null) return { input, bucket: alias, via: 'alias' };
  if (Object.hasOwn(NEWER, lower)) return { input, bucket: NEWER[lower] ?? null, via: 'newer' };
  return { input, bucket: null, via: 'unknown' };
}

/** Optimal string alignment distance, bounded: returns `limit + 1` as soon as it is exceeded. */
export function editDistance(a: string, b: string, limit = 8): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

export interface StatusSuggestion {
  /** The known name or alias closest to the input. */
  name: string;
  /** Its bucket (null for `deposit`). */
  bucket: KeitaroBucket | null;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The nearest known status for a misspelt one: `aproved` → approved (sale),
 * `registratered` (the seed's own typo [K16]) → registration (lead). Null when nothing is close.
 */
export function suggestStatus(value: string): StatusSuggestion | null {
  const lower = value.trim().toLowerCase();
  if (lower.length < 2 || lower.length > 40) return null;
  const candidates: StatusSuggestion[] = [
    ...KEITARO_STATUSES.map((name) => ({ name, bucket: name })),
    ...Object.entries(NEWER).map(([name, bucket]) => ({ name, bucket })),
    ...(['sale', 'rejected', 'ignore'] as const).flatMap((bucket) =>
      KEITARO_STATUS_ALIASES[bucket].filter((a) => a.length > 2).map((name) => ({ name, bucket })),
    ),
  ];
  const limit = Math.min(4, Math.max(1, Math.floor(lower.length / 3)));
  let best: { s: StatusSuggestion; score: number } | null = null;
  for (const s of candidates) {
    const name = s.name.toLowerCase();
    if (name === lower) return s;
    let score = editDistance(lower, name, limit);
    // A long shared start is a strong hint even past the distance limit (`registratered`).
    if (score > limit && commonPrefix(lower, name) >= 6) score = limit;
    if (score <= limit && (best === null || score < best.score)) best = { s, score };
  }
  return best?.s ?? null;
}
