/**
 * URLs copied from a rendered page lose `&curren`, `&para` … to the HTML entity decoder:
 * browsers decode these legacy entities even without the `;`, so `&currency=EUR` shows as
 * `¤cy=EUR` (Keitaro's own docs example [K2], wiki.keitarotds.ru) and `&param1=` as `¶m1=`
 * (Voluum docs [V1]). Pasted into a browser or a server they are then sent percent-encoded
 * (`%C2%A4cy=EUR`). The same happens to `&region=` (`®ion=`), `&timestamp=` (`×tamp=`),
 * `&section=` (`§ion=`) … A fragment counts only when it is followed by `name=`, so a
 * value like `800×600` is left alone.
 */

/** Legacy entities (decoded without `;`) that start common param names. */
const ENTITIES: ReadonlyArray<[name: string, char: string]> = [
  ['curren', '¤'],
  ['para', '¶'],
  ['reg', '®'],
  ['times', '×'],
  ['sect', '§'],
  ['not', '¬'],
  ['copy', '©'],
  ['cent', '¢'],
  ['deg', '°'],
  ['pound', '£'],
  ['yen', '¥'],
  ['micro', 'µ'],
];

function utf8Escapes(char: string): string {
  return encodeURIComponent(char);
}

const BY_FORM = new Map<string, string>();
for (const [name, char] of ENTITIES) {
  BY_FORM.set(char, name);
  BY_FORM.set(utf8Escapes(char).toUpperCase(), name);
  BY_FORM.set(`&${name};`, name);
}

const alternatives = ENTITIES.flatMap(([name, char]) => [
  char,
  utf8Escapes(char).replace(/%/g, '%'),
  `&${name};`,
]);
const escaped = alternatives.map((a) =>
  a.replace(/[.*+?^${}()|[\]\\&;%]/g, (c) => (c === '%' || c === '&' || c === ';' ? c : `\\${c}`)),
);
/** A mangled fragment followed by the rest of a param name and `=`. */
const MANGLED = new RegExp(`(${escaped.join('|')})(?=[A-Za-z0-9_]*=)`, 'gi');
/** `&amp;` from a URL copied out of HTML source. */
const AMP = /&amp;(?=[A-Za-z0-9_%.-]*=)/g;

export interface MangledFragment {
  /** The fragment as found, e.g. `¤` or `%C2%A4`. */
  found: string;
  /** What it stood for, e.g. `&curren`. */
  meant: string;
  /** Where in the URL. */
  index: number;
}

/** Finds mangled fragments in a URL (as written). */
export function findMangledEntities(url: string): MangledFragment[] {
  const out: MangledFragment[] = [];
  if (typeof url !== 'string') return out;
  for (const m of url.matchAll(MANGLED)) {
    const found = m[0];
    const name =
      BY_FORM.get(found.startsWith('%') ? found.toUpperCase() : found) ?? BY_FORM.get(found.toLowerCase());
    if (name !== undefined) out.push({ found, meant: `&${name}`, index: m.index ?? 0 });
  }
  for (const m of url.matchAll(AMP)) out.push({ found: m[0], meant: '&', index: m.index ?? 0 });
  return out.sort((a, b) => a.index - b.index);
}

/** The URL with every mangled fragment put back (`¤cy=EUR` → `&currency=EUR`). */
export function repairHtmlEntities(url: string): string {
  if (typeof url !== 'string') return '';
  const fragments = findMangledEntities(url);
  if (fragments.length === 0) return url;
  let out = '';
  let at = 0;
  for (const f of fragments) {
    out += url.slice(at, f.index) + f.meant;
    at = f.index + f.found.length;
  }
  return out + url.slice(at);
}
