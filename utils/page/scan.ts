/**
 * Where the page keeps a click id: local/session storage, form fields, links and form actions.
 * Cookies are not read here: `document.cookie` is a synchronous round trip to the browser's cookie
 * store on every read, and the background's cookies API sees the same cookies (HttpOnly ones too)
 * at no cost to the page. Bounded: a fixed number of entries and elements per scan, so a page with
 * 50,000 links costs the same as one with 500.
 */

export type Place =
  | 'cookie'
  | 'localStorage'
  | 'sessionStorage'
  | 'hidden-input'
  | 'input'
  | 'link'
  | 'form-action';

export interface Found {
  place: Place;
  name: string;
  value: string;
  raw: string;
  where: string;
  at: number;
  expires?: number | null;
}

const MAX_ENTRIES = 200;
const MAX_ELEMENTS = 500;
const MAX_RAW = 1024;

/** Which parts to read: the DOM is cheap; a storage area costs its first opening, so it is read when the page wrote to it. */
export interface ScanParts {
  dom?: boolean;
  localStorage?: boolean;
  sessionStorage?: boolean;
}
export const ALL_PARTS: ScanParts = { dom: true, localStorage: true, sessionStorage: true };

export interface ScanScope {
  document: Pick<Document, 'querySelectorAll'>;
  localStorage?: Storage | null;
  sessionStorage?: Storage | null;
  host: string;
}

function holder(text: string, ids: string[]): string | undefined {
  if (!text) return undefined;
  let decoded = text;
  if (text.includes('%')) {
    try {
      decoded = decodeURIComponent(text);
    } catch {
      // not percent-encoded after all
    }
  }
  return ids.find((id) => text.includes(id) || decoded.includes(id));
}

export function scanPage(scope: ScanScope, ids: string[], at: number, parts: ScanParts = ALL_PARTS): Found[] {
  if (ids.length === 0) return [];
  const found: Found[] = [];
  const cut = (s: string) => s.slice(0, MAX_RAW);

  for (const place of ['localStorage', 'sessionStorage'] as const) {
    if (!parts[place]) continue;
    let store: Storage | null | undefined;
    try {
      store = scope[place];
    } catch {
      continue; // storage disabled for this document
    }
    if (!store) continue;
    const n = Math.min(store.length, MAX_ENTRIES);
    for (let i = 0; i < n; i++) {
      const key = store.key(i);
      if (key === null) continue;
      const value = store.getItem(key) ?? '';
      const id = holder(value, ids) ?? holder(key, ids);
      if (id) found.push({ place, name: key, value: id, raw: cut(value), where: scope.host, at });
    }
  }

  if (!parts.dom) return found;
  const inputs = scope.document.querySelectorAll('input, textarea');
  for (let i = 0; i < Math.min(inputs.length, MAX_ELEMENTS); i++) {
    const el = inputs[i] as HTMLInputElement;
    const id = holder(el.value, ids);
    if (!id) continue;
    const name = el.name || el.id || el.type;
    const form = el.form?.getAttribute('action') ?? '';
    found.push({
      place: el.type === 'hidden' ? 'hidden-input' : 'input',
      name,
      value: id,
      raw: cut(el.value),
      where: form ? `form → ${cut(form)}` : 'page',
      at,
    });
  }

  const links = scope.document.querySelectorAll('a[href]');
  for (let i = 0; i < Math.min(links.length, MAX_ELEMENTS); i++) {
    const href = (links[i] as HTMLAnchorElement).getAttribute('href') ?? '';
    const id = holder(href, ids);
    if (id)
      found.push({
        place: 'link',
        name: cut((links[i]?.textContent ?? '').trim()) || 'link',
        value: id,
        raw: cut(href),
        where: 'page',
        at,
      });
  }

  const forms = scope.document.querySelectorAll('form[action]');
  for (let i = 0; i < Math.min(forms.length, MAX_ELEMENTS); i++) {
    const action = (forms[i] as HTMLFormElement).getAttribute('action') ?? '';
    const id = holder(action, ids);
    if (id)
      found.push({
        place: 'form-action',
        name: (forms[i] as HTMLFormElement).getAttribute('name') || 'form',
        value: id,
        raw: cut(action),
        where: 'page',
        at,
      });
  }
  return found;
}

/** A stable key per finding, so the script only reports what is new since the last scan. */
export function foundKey(f: Found): string {
  return `${f.place}\u0000${f.name}\u0000${f.value}\u0000${f.raw}`;
}
