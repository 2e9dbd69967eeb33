import type { WxtStorage } from '@wxt-dev/storage';
import type { browser as browserApi } from 'wxt/browser';
import { z } from 'zod';
import type { Observation } from '../session/schema';
import { SESSION_COOKIE } from '../session/set-cookie';

type Browser = typeof browserApi;

/**
 * The cookie jar of a page whose URL brought click ids, HttpOnly included (the page's
 * `document.cookie` cannot see those): cookies whose value holds a click id, and server session
 * cookies with the moment they were set (the core keeps those set once the id had arrived).
 */
export async function jarObservations(
  browser: Browser,
  storage: WxtStorage,
  pageUrl: string,
  ids: string[],
  at: number,
): Promise<Array<Omit<Observation, 'pageId'>>> {
  if (ids.length === 0 || !/^https?:/.test(pageUrl)) return [];
  const cookies = await browser.cookies.getAll({ url: pageUrl });
  const setAt = await sessionCookieSetTimes(storage, cookies);
  const found: Array<Omit<Observation, 'pageId'>> = [];
  for (const [i, c] of cookies.entries()) {
    let value = c.value;
    try {
      value = decodeURIComponent(c.value);
    } catch {
      // keep the raw value: a cookie need not be percent-encoded
    }
    const common = {
      name: c.name,
      where: `${c.domain.replace(/^\./, '')}${c.path}`,
      expires: c.session || c.expirationDate === undefined ? null : Math.floor(c.expirationDate),
      httpOnly: c.httpOnly,
    };
    const id = ids.find((v) => value.includes(v));
    if (id) found.push({ ...common, place: 'cookie', value: id, raw: c.value.slice(0, 1024), at });
    const set = setAt[i];
    // raw as name=value, as a Set-Cookie line starts: the export redacts a session cookie's value by it
    if (!id && set != null)
      for (const v of ids)
        found.push({
          ...common,
          place: 'session-cookie',
          value: v,
          raw: `${c.name}=${c.value}`.slice(0, 1024),
          at: set,
        });
  }
  return found;
}

interface CookieRef {
  domain: string;
  path: string;
  name: string;
}

const keyOf = (c: CookieRef) => `session:cookie-set:${c.domain}${c.path}|${c.name}` as const;
const SetAt = z.number().finite();

const CookieChange = z.object({
  removed: z.boolean(),
  cookie: z.object({ domain: z.string(), path: z.string(), name: z.string() }),
});

/**
 * When each server session cookie (PHPSESSID …) was last set, so one read from the cookie jar can be
 * dated: set once the click id had arrived, it says the landing started a server session for it (the
 * seed's `$_SESSION['subid']`); left from an earlier visit, it says nothing about this click.
 *
 * Why not the Set-Cookie header: Chromium shows it to webRequest only with 'extraHeaders', and that
 * option sends every response of every page through the browser process on its way to the page,
 * with or without a listener's filter naming it (register.ts gives the figures). cookies.onChanged
 * is told after the fact, off the page's path. Kept in session storage: in memory, gone with the
 * browser, one small entry per session cookie of the sites visited.
 *
 * cookies.onChanged: note the moment a session cookie was written (a removal, or any other cookie, is not noted).
 */
export async function noteSessionCookie(storage: WxtStorage, details: unknown, at: number): Promise<void> {
  const change = CookieChange.safeParse(details).data;
  if (!change || change.removed || !SESSION_COOKIE.test(change.cookie.name)) return;
  await storage.setItem(keyOf(change.cookie), at);
}

/** When each of these cookies was last set while the browser ran, by position; null where not noted. */
export async function sessionCookieSetTimes(
  storage: WxtStorage,
  cookies: CookieRef[],
): Promise<Array<number | null>> {
  const keys = cookies.map((c) => (SESSION_COOKIE.test(c.name) ? keyOf(c) : null));
  const wanted = keys.filter((k): k is ReturnType<typeof keyOf> => k !== null);
  if (wanted.length === 0) return keys.map(() => null);
  const items = await storage.getItems(wanted);
  const byKey = new Map(items.map((item) => [item.key, SetAt.safeParse(item.value).data ?? null]));
  return keys.map((k) => (k === null ? null : (byKey.get(k) ?? null)));
}
