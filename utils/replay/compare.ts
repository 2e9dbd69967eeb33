import { bodyParams, splitQuery } from '../panel/params';
import type { Replay } from '../session/schema';

/** Two replays side by side: what changed in the request params, and in the answer. */

export type Change = 'same' | 'added' | 'removed' | 'changed';

export interface ParamDiff {
  name: string;
  a?: string;
  b?: string;
  change: Change;
}

export interface LineDiff {
  change: 'same' | 'added' | 'removed';
  text: string;
}

export interface ReplayComparison {
  params: ParamDiff[];
  urlBase: { a: string; b: string; same: boolean };
  status: { a: string; b: string; same: boolean };
  verdict: { a: string; b: string; same: boolean };
  ms: { a: number | null; b: number | null };
  headers: ParamDiff[];
  body: LineDiff[];
}

function paramsOf(r: Replay): { name: string; value: string }[] {
  const q = r.request.url.split('#', 1)[0] ?? '';
  const i = q.indexOf('?');
  return [
    ...(i < 0 ? [] : splitQuery(q.slice(i + 1))),
    ...(r.request.body ? bodyParams(r.request.body) : []),
  ];
}

function baseOf(url: string): string {
  return url.split(/[?#]/, 1)[0] ?? url;
}

/** Params by name; a repeated name is compared occurrence by occurrence. */
export function diffPairs(
  a: { name: string; value: string }[],
  b: { name: string; value: string }[],
): ParamDiff[] {
  const key = (list: { name: string; value: string }[]) => {
    const seen = new Map<string, number>();
    return list.map((p) => {
      const n = seen.get(p.name) ?? 0;
      seen.set(p.name, n + 1);
      return { k: `${p.name}\u0000${n}`, ...p };
    });
  };
  const ka = key(a);
  const kb = new Map(key(b).map((p) => [p.k, p]));
  const out: ParamDiff[] = [];
  for (const p of ka) {
    const q = kb.get(p.k);
    kb.delete(p.k);
    if (!q) out.push({ name: p.name, a: p.value, change: 'removed' });
    else out.push({ name: p.name, a: p.value, b: q.value, change: p.value === q.value ? 'same' : 'changed' });
  }
  for (const q of kb.values()) out.push({ name: q.name, b: q.value, change: 'added' });
  return out;
}

const MAX_LINES = 400;

/** A line diff by longest common subsequence; long bodies fall back to remove-all/add-all. */
export function diffLines(a: string, b: string): LineDiff[] {
  const x = a.split('\n');
  const y = b.split('\n');
  if (a === b) return x.map((text) => ({ change: 'same', text }));
  if (x.length > MAX_LINES || y.length > MAX_LINES) {
    return [
      ...x.map((text) => ({ change: 'removed' as const, text })),
      ...y.map((text) => ({ change: 'added' as const, text })),
    ];
  }
  const n = x.length;
  const m = y.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = dp[i] as number[];
      row[j] = x[i] === y[j] ? (dp[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(dp[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: LineDiff[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ change: 'same', text: x[i] ?? '' });
      i++;
      j++;
    } else if ((dp[i + 1]?.[j] ?? 0) >= (dp[i]?.[j + 1] ?? 0))
      out.push({ change: 'removed', text: x[i++] ?? '' });
    else out.push({ change: 'added', text: y[j++] ?? '' });
  }
  while (i < n) out.push({ change: 'removed', text: x[i++] ?? '' });
  while (j < m) out.push({ change: 'added', text: y[j++] ?? '' });
  return out;
}

export function compareReplays(a: Replay, b: Replay): ReplayComparison {
  const status = (r: Replay) =>
    r.response ? `${r.response.status} ${r.response.statusText}`.trim() : `failed: ${r.error ?? ''}`;
  const verdict = (r: Replay) => r.meaning?.verdict ?? '—';
  const lower = (h: { name: string; value: string }[]) =>
    h.map((x) => ({ name: x.name.toLowerCase(), value: x.value }));
  return {
    params: diffPairs(paramsOf(a), paramsOf(b)),
    urlBase: {
      a: baseOf(a.request.url),
      b: baseOf(b.request.url),
      same: baseOf(a.request.url) === baseOf(b.request.url),
    },
    status: { a: status(a), b: status(b), same: status(a) === status(b) },
    verdict: { a: verdict(a), b: verdict(b), same: verdict(a) === verdict(b) },
    ms: { a: a.response?.ms ?? null, b: b.response?.ms ?? null },
    headers: diffPairs(lower(a.response?.headers ?? []), lower(b.response?.headers ?? [])),
    body: diffLines(a.response?.body ?? '', b.response?.body ?? ''),
  };
}
