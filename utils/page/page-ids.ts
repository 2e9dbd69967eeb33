/**
 * Click ids in the page's own URL, for the content script. Kept free of Zod and of the systems
 * registry so the script that runs on every page stays a few KB and well under a millisecond;
 * `page-ids.test.ts` checks this list against the registry so the two cannot drift apart, and this
 * parser against URLSearchParams.
 */

/** Param names that carry a click id on a landing URL (reference §1.2, §3, §5, §7). */
export const PAGE_ID_PARAMS = [
  'subid',
  '_subid',
  'sub_id',
  'subId',
  'SubID',
  '_token',
  'clickid',
  'click_id',
  'cid',
  'cnv_id',
  'external_id',
  'transaction_id',
  'aff_click_id',
  'aff_sub',
  'aff_sub2',
  'aff_sub3',
  'aff_sub4',
  'aff_sub5',
  'aff_unique1',
  'aff_unique2',
  'aff_unique3',
  'aff_unique4',
  'aff_unique5',
  'sub1',
];

/** Unreplaced placeholders in every style the reference lists (§8.1): never taken as ids. */
const MACRO =
  /^(\{.*\}|\[.*\]|#.*#|\$\{.*\}|%7B.*%7D|REPLACE|OPTIONAL|TRANSACTION_ID|AFFSESSIONID|CLICK_?ID|SUB_?ID)$/i;

/** Shorter values (`aff_sub=test`) would match half the page. Real ids are 13+ characters (§1.5, §5). */
export const MIN_ID_LENGTH = 6;

export interface PageId {
  param: string;
  value: string;
}

/** `+` and percent-decoding as URLSearchParams does, without it: the script's first URLSearchParams in a page costs more than this loop. */
function decode(text: string): string | null {
  if (!text.includes('%') && !text.includes('+')) return text; // the usual case, on every page
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null; // malformed percent-encoding: not an id we can match
  }
}

const WANTED = new Set(PAGE_ID_PARAMS);

export function pageIds(href: string): PageId[] {
  const q = href.indexOf('?');
  if (q < 0) return [];
  const hash = href.indexOf('#', q);
  // The first value of each wanted name, as URLSearchParams.get gives it.
  const first = new Map<string, string>();
  for (const pair of href.slice(q + 1, hash < 0 ? undefined : hash).split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (name === null || !WANTED.has(name) || first.has(name)) continue;
    first.set(name, eq < 0 ? '' : (decode(pair.slice(eq + 1)) ?? ''));
  }
  const out: PageId[] = [];
  for (const name of PAGE_ID_PARAMS) {
    const value = first.get(name);
    if (value && value.length >= MIN_ID_LENGTH && !MACRO.test(value) && !out.some((o) => o.value === value)) {
      out.push({ param: name, value });
    }
  }
  return out;
}
