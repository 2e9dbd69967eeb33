import { describe, expect, it } from 'vitest';
import type { Recognition } from '../recognize/schema';
import { applyEvents, type Caps, createSession, type ModelDeps } from './apply-events';
import type { SessionEvent } from './events';
import { SessionSchema } from './schema';

const caps: Caps = { requestsPerTab: 100, observationsPerTab: 100, replaysPerSession: 3 };

/** A stand-in recogniser: anything with `/postback` or `subid=` is Keitaro. */
const deps: ModelDeps = {
  recognize: (url) =>
    /\/postback|subid=/.test(url)
      ? ({
          system: 'keitaro',
          kind: url.includes('/postback') ? 'postback' : 'landing',
          url,
          clickId: null,
          clickIds: [],
          fields: {},
          unknownParams: [],
          macros: [],
        } satisfies Recognition)
      : null,
  idsOf: (url) => [...url.matchAll(/(?:subid|external_id)=([a-z0-9]{6,})/g)].map((m) => m[1] ?? ''),
};

const tab = 7;
/** A page-hook report, a POSTed beacon unless told otherwise. */
const pageRequest = (
  at: number,
  url: string,
  extra: Partial<Extract<SessionEvent, { type: 'page-request' }>> = {},
): SessionEvent => ({ type: 'page-request', tabId: tab, at, via: 'beacon', url, method: 'POST', ...extra });

const start = (
  id: string,
  url: string,
  at: number,
  extra: Partial<Extract<SessionEvent, { type: 'request-start' }>> = {},
): SessionEvent => ({
  type: 'request-start',
  tabId: tab,
  at,
  id,
  frameId: 0,
  resourceType: 'image',
  method: 'GET',
  url,
  ...extra,
});

describe('applyEvents', () => {
  it('folds redirects into one request with its hops and statuses', () => {
    const s = applyEvents(
      createSession(tab, 1),
      [
        start('1', 'http://net.example/aff_c?offer_id=1', 10, { resourceType: 'main_frame' }),
        {
          type: 'request-redirect',
          tabId: tab,
          at: 11,
          id: '1',
          url: 'http://net.example/aff_c?offer_id=1',
          redirectUrl: 'http://trk.example/c?external_id=abcdef123',
          status: 302,
          frameId: 0,
          resourceType: 'main_frame',
          method: 'GET',
        },
        {
          type: 'request-redirect',
          tabId: tab,
          at: 12,
          id: '1',
          url: 'http://trk.example/c?external_id=abcdef123',
          redirectUrl: 'http://lp.example/?subid=zzzzzz111',
          status: 302,
          frameId: 0,
          resourceType: 'main_frame',
          method: 'GET',
        },
        { type: 'request-complete', tabId: tab, at: 13, id: '1', status: 200 },
        {
          type: 'navigation',
          tabId: tab,
          at: 14,
          frameId: 0,
          url: 'http://lp.example/?subid=zzzzzz111',
          transition: 'link',
        },
      ],
      caps,
      deps,
    );
    expect(s.requests).toHaveLength(1);
    const [r] = s.requests;
    expect(r?.hops.map((h) => [h.url, h.status])).toEqual([
      ['http://net.example/aff_c?offer_id=1', 302],
      ['http://trk.example/c?external_id=abcdef123', 302],
      ['http://lp.example/?subid=zzzzzz111', 200],
    ]);
    expect(r?.pageId).toBe(s.pages[0]?.id);
    expect(s.url).toBe('http://lp.example/?subid=zzzzzz111');
    expect(SessionSchema.safeParse(s).success).toBe(true);
  });

  it('starts a record at the redirect that made the request ours, keeping the earlier hop', () => {
    const s = applyEvents(
      createSession(tab, 1),
      [
        {
          type: 'request-redirect',
          tabId: tab,
          at: 5,
          id: '9',
          url: 'http://short.example/x',
          redirectUrl: 'http://lp.example/?subid=abcdefgh1',
          status: 301,
          frameId: 0,
          resourceType: 'main_frame',
          method: 'GET',
        },
      ],
      caps,
      deps,
    );
    expect(s.requests[0]?.hops.map((h) => h.url)).toEqual([
      'http://short.example/x',
      'http://lp.example/?subid=abcdefgh1',
    ]);
    expect(s.requests[0]?.hops[0]?.status).toBe(301);
  });

  it('sees a PHP session cookie set on the landing that received the id as where the id may live', () => {
    const s = applyEvents(
      createSession(tab, 1),
      [
        start('2', 'http://lp.example/index.php?subid=abcdefgh12', 10, { resourceType: 'main_frame' }),
        {
          type: 'request-headers',
          tabId: tab,
          at: 11,
          id: '2',
          status: 200,
          headers: [
            { name: 'Set-Cookie', value: 'PHPSESSID=s3cr3t; path=/; HttpOnly' },
            { name: 'X-Other', value: 'dropped' },
          ],
        },
      ],
      caps,
      deps,
    );
    expect(s.observations).toEqual([
      expect.objectContaining({
        place: 'session-cookie',
        name: 'PHPSESSID',
        value: 'abcdefgh12',
        httpOnly: true,
        expires: null,
      }),
    ]);
    expect(s.requests[0]?.responseHeaders.map((h) => h.name)).toEqual(['Set-Cookie']);
  });

  it('joins a page-hook report with its webRequest record, in either order', () => {
    const url = 'http://trk.example/key/postback';
    const hookFirst = applyEvents(
      createSession(tab, 1),
      [
        pageRequest(10, url, { body: 'subid=abcdefgh1&status=lead' }),
        start('3', url, 11, { method: 'POST', resourceType: 'ping' }),
      ],
      caps,
      deps,
    );
    const webFirst = applyEvents(
      createSession(tab, 1),
      [
        start('3', url, 10, { method: 'POST', resourceType: 'ping' }),
        pageRequest(11, url, { body: 'subid=abcdefgh1&status=lead' }),
      ],
      caps,
      deps,
    );
    for (const s of [hookFirst, webFirst]) {
      expect(s.requests).toHaveLength(1);
      expect(s.requests[0]).toMatchObject({
        id: '3',
        via: 'beacon',
        type: 'ping',
        requestBody: { text: 'subid=abcdefgh1&status=lead' },
      });
    }
  });

  it("keeps the body as the page sent it where webRequest reordered its form params, and webRequest's where they differ", () => {
    const url = 'http://trk.example/key/postback?payout=10';
    const xhr = (id: string, webBody: string, pageBody: string) =>
      applyEvents(
        createSession(tab, 1),
        [
          // Chromium's formData, rebuilt: sorted by name.
          start(id, url, 10, { method: 'POST', resourceType: 'xmlhttprequest', body: webBody }),
          pageRequest(11, url, { via: 'xhr', body: pageBody }),
        ],
        caps,
        deps,
      ).requests[0]?.requestBody;
    expect(xhr('5', 'status=lead&subid=abcdefgh1', 'subid=abcdefgh1&status=lead')).toEqual({
      text: 'subid=abcdefgh1&status=lead',
      source: 'page-hook',
      truncated: false,
    });
    expect(xhr('6', 'a=x+y&subid=abcdefgh1', 'subid=abcdefgh1&a=x%20y')?.source).toBe('page-hook');
    // A page report that says something else does not overwrite what the browser saw.
    expect(xhr('7', 'status=lead&subid=abcdefgh1', 'subid=OTHER&status=lead')).toEqual({
      text: 'status=lead&subid=abcdefgh1',
      source: 'webRequest',
      truncated: false,
    });
    // Only form bodies are compared field by field; bytes decoding lost are not "the same".
    expect(xhr('8', '{"a":"x y"}', '{"a":"x+y"}')?.source).toBe('webRequest');
    expect(xhr('9', 'b&a', 'a&b')?.source).toBe('webRequest');
    expect(xhr('10', 'subid=%FF', 'subid=%FE')?.source).toBe('webRequest');
    expect(xhr('11', 'a=1&a=1&b=2', 'a=1&b=2&b=2')?.source).toBe('webRequest');
  });

  it("keeps the browser's body, and its truncated flag, when both sides cut a long body", () => {
    const url = 'http://trk.example/key/postback';
    const long = `subid=abcdefgh1&pad=${'x'.repeat(20_000)}`;
    const s = applyEvents(
      createSession(tab, 1),
      [
        start('12', url, 10, { method: 'POST', resourceType: 'ping', body: long }),
        // The hook sends one character more than the session keeps, so the cut shows here too.
        pageRequest(11, url, { body: long.slice(0, 16 * 1024 + 1) }),
      ],
      caps,
      deps,
    );
    expect(s.requests[0]?.requestBody).toMatchObject({ source: 'webRequest', truncated: true });
    expect(s.requests[0]?.requestBody?.text).toHaveLength(16 * 1024);
  });

  it('keeps a fetch answer the page read', () => {
    const url = 'http://trk.example/key/postback?subid=abcdefgh1';
    const s = applyEvents(
      createSession(tab, 1),
      [
        start('4', url, 10, { resourceType: 'xmlhttprequest' }),
        { type: 'request-complete', tabId: tab, at: 12, id: '4', status: 200 },
        {
          type: 'page-request',
          tabId: tab,
          at: 13,
          via: 'fetch',
          url,
          method: 'GET',
          response: { status: 200, body: 'Success' },
        },
      ],
      caps,
      deps,
    );
    expect(s.requests[0]?.responseBody).toEqual({ text: 'Success', source: 'page-hook', truncated: false });
  });

  it('counts what the caps drop instead of losing it silently', () => {
    const events = Array.from({ length: 150 }, (_, i) =>
      start(`r${i}`, `http://trk.example/?subid=abcdefgh${i}`, i),
    );
    const s = applyEvents(createSession(tab, 1), events, caps, deps);
    expect(s.requests).toHaveLength(100);
    expect(s.dropped.requests).toBe(50);
  });

  it('keeps the newest replays within the cap and counts the rest', () => {
    const replay = (i: number): SessionEvent => ({
      type: 'replay',
      tabId: tab,
      at: i,
      replay: {
        id: `rp${i}`,
        at: i,
        request: { url: 'http://t/x', method: 'GET', withCookies: false },
        response: null,
        error: 'x',
        meaning: null,
      },
    });
    const s = applyEvents(createSession(tab, 1), [1, 2, 3, 4, 5].map(replay), caps, deps);
    expect(s.replays.map((r) => r.id)).toEqual(['rp3', 'rp4', 'rp5']);
    expect(s.dropped.replays).toBe(2);
  });

  it('does not record the same observation twice', () => {
    const obs: SessionEvent = {
      type: 'observations',
      tabId: tab,
      at: 5,
      frameId: 0,
      observations: [
        {
          place: 'localStorage',
          name: 'kt',
          value: 'abcdefgh1',
          raw: 'abcdefgh1',
          where: 'lp.example',
          at: 5,
        },
      ],
    };
    const s = applyEvents(createSession(tab, 1), [obs, obs], caps, deps);
    expect(s.observations).toHaveLength(1);
  });

  it('puts what a page reported on that page, also once the tab has moved on (a report made as the visitor submits)', () => {
    const landingUrl = 'http://lp.example/?subid=abcdefgh1';
    const found = (at: number, pageUrl?: string): SessionEvent => ({
      type: 'observations',
      tabId: tab,
      at,
      frameId: 0,
      ...(pageUrl === undefined ? {} : { pageUrl }),
      observations: [
        {
          place: 'session-cookie',
          name: 'PHPSESSID',
          value: 'abcdefgh1',
          raw: 'PHPSESSID=f00d',
          where: 'lp.example/',
          at,
        },
      ],
    });
    const s = applyEvents(
      createSession(tab, 1),
      [
        { type: 'navigation', tabId: tab, at: 10, frameId: 0, url: landingUrl },
        {
          type: 'navigation',
          tabId: tab,
          at: 30,
          frameId: 0,
          url: 'http://lp.example/thanks',
          transition: 'form_submit',
        },
        found(31, landingUrl),
        found(32), // no page named: the tab's page now
      ],
      caps,
      deps,
    );
    expect(s.observations.map((o) => o.pageId)).toEqual([s.pages[0]?.id, s.pages[1]?.id]);
  });

  it('keeps a session cookie from the jar only if set once a document carrying the id was asked for', () => {
    const sessionCookie = (value: string, at: number): SessionEvent => ({
      type: 'observations',
      tabId: tab,
      at: 50,
      frameId: 0,
      observations: [
        {
          place: 'session-cookie',
          name: 'PHPSESSID',
          value,
          raw: 'PHPSESSID=f00d',
          where: 'lp.example/',
          at,
        },
      ],
    });
    const landing = start('doc', 'http://lp.example/?subid=abcdefgh1', 20, { resourceType: 'main_frame' });
    const kept = (events: SessionEvent[]) =>
      applyEvents(createSession(tab, 1), events, caps, deps).observations.map((o) => [o.value, o.at]);
    // set by the landing's answer (20 ≤ 25); left from an earlier visit (10 < 20)
    expect(kept([landing, sessionCookie('abcdefgh1', 25)])).toEqual([['abcdefgh1', 25]]);
    expect(kept([landing, sessionCookie('abcdefgh1', 10)])).toEqual([]);
    // a pixel carrying the id is not a document the server answered with a session
    expect(
      kept([start('px', 'http://t.example/?subid=abcdefgh2', 20), sessionCookie('abcdefgh2', 10)]),
    ).toEqual([['abcdefgh2', 10]]);
  });

  it('marks the session closed when the tab closes', () => {
    const s = applyEvents(createSession(tab, 1), [{ type: 'tab-closed', tabId: tab, at: 99 }], caps, deps);
    expect(s.closedAt).toBe(99);
  });

  it('tells which requests it added or changed, and only those', () => {
    const beacon = 'http://trk.example/key/postback';
    const s = applyEvents(
      createSession(tab, 1),
      [
        ...[0, 1, 2, 3, 4, 5].map((i) => start(String(i), `http://trk.example/?subid=abcdefgh${i}`, i)),
        { type: 'page-request', tabId: tab, at: 6, via: 'beacon', url: beacon, method: 'POST', body: 'x' },
        start('doc', 'http://lp.example/?subid=abcdefgh9', 7, { resourceType: 'main_frame' }),
      ],
      caps,
      deps,
    );
    const changed = new Set<number>();
    applyEvents(
      s,
      [
        { type: 'request-complete', tabId: tab, at: 20, id: '1', status: 200 },
        { type: 'request-error', tabId: tab, at: 20, id: '2', error: 'net::ERR_FAILED' },
        { type: 'request-headers', tabId: tab, at: 20, id: '3', status: 200, headers: [] },
        { type: 'request-complete', tabId: tab, at: 20, id: 'unknown', status: 200 },
        // webRequest sees the beacon the page hook reported: the hook record (index 6) is adopted.
        start('7', beacon, 21, { method: 'POST', resourceType: 'ping' }),
        // The landing's document request (index 7) gets its page.
        { type: 'navigation', tabId: tab, at: 22, frameId: 0, url: 'http://lp.example/?subid=abcdefgh9' },
        start('new', 'http://trk.example/?subid=abcdefgh10', 23),
        start('1', 'http://trk.example/?subid=abcdefgh1', 24),
      ],
      caps,
      deps,
      changed,
    );
    expect([...changed].sort((a, b) => a - b)).toEqual([1, 2, 3, 6, 7, 8]);
    expect(s.requests[8]?.id).toBe('new');
  });
});
