// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import {
  cookieValue,
  cookieValues,
  dispatchInPage,
  makeNonce,
  PULL_KEY,
  type Pulled,
  pageChannel,
  pullInPage,
  RESCAN_EVENT,
  SIGNAL_KEY,
  SIGNAL_PATH,
  SIGNAL_PREFIX,
  urlKey,
} from './channel';

/** A window of its own (an iframe's), whose cookie writes the test records. */
function freshWindow() {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const win = frame.contentWindow as Window & typeof globalThis;
  const cookies: string[] = [];
  Object.defineProperty(win.document, 'cookie', {
    configurable: true,
    set: (line: string) => cookies.push(line),
    get: () => '',
  });
  const pull = (rescan?: boolean) =>
    (win as unknown as Record<symbol, (r?: boolean) => Pulled>)[Symbol.for(PULL_KEY)]?.(rescan);
  /** The reports a pull takes, parsed. */
  const take = (rescan?: boolean) => pull(rescan)?.reports.map((d) => JSON.parse(d));
  return { win, cookies, pull, take };
}

const found = { type: 'observations', observations: [{ place: 'hidden-input' }] };
const beacon = { type: 'page-request', via: 'beacon', url: 'https://t.example/k/postback?subid=x' };

describe('page channel (MAIN world)', () => {
  it('keeps reports for the pull, which takes them once as JSON copies', () => {
    const { win, cookies, take } = freshWindow();
    const { send } = pageChannel(win);
    const report = { ...found };
    send(report);
    send(beacon);
    report.type = 'changed later';
    expect(take()).toEqual([found, beacon]);
    expect(take()).toEqual([]);
    expect(cookies).toEqual([]); // the background knows no key of a page that is no landing before a pull: nothing signalled
  });

  it('once a pull took its key, a report rides in a cookie on its own path, named with the key', () => {
    const { win, cookies, pull, take } = freshWindow();
    const { send } = pageChannel(win);
    const { key } = pull() ?? { key: '' };
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(pull()?.key).toBe(key); // one per page
    send(beacon);
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = (cookies[0] ?? '').split('; ');
    expect(pair).toBe(`${SIGNAL_PREFIX}${key}=${cookieValue(JSON.stringify(beacon))}`);
    expect(attributes).toEqual([`path=${SIGNAL_PATH}`, 'max-age=60', 'samesite=strict']);
    expect(take()).toEqual([]);
    // Another page's key is its own.
    const other = freshWindow();
    pageChannel(other.win);
    expect(other.pull()?.key).not.toBe(key);
  });

  it('a report too long for a cookie waits, and an empty cookie asks for a pull', () => {
    const { win, cookies, pull, take } = freshWindow();
    const { send } = pageChannel(win);
    const key = pull()?.key;
    const long = { type: 'page-request', via: 'fetch', url: 'https://t.example/', body: 'x'.repeat(5000) };
    send(long);
    expect(cookies).toEqual([`${SIGNAL_PREFIX}${key}=; path=${SIGNAL_PATH}; max-age=60; samesite=strict`]);
    expect(take()).toEqual([long]);
  });

  it('what a landing found, too long for one cookie, is packed into as few as fit, raw text cut', () => {
    const { win, cookies, pull, take } = freshWindow();
    const { send } = pageChannel(win);
    const key = pull()?.key;
    const observation = (i: number) => ({
      place: 'link',
      name: `link ${i}`,
      value: 'x'.repeat(20),
      raw: `/go?subid=${'x'.repeat(1000)}`,
    });
    const names = Array.from({ length: 30 }, (_, i) => `link ${i}`);
    const report = {
      type: 'observations',
      pageUrl: '', // the watch leaves it to the background
      ids: ['x'.repeat(20)],
      observations: names.map((_, i) => observation(i)),
    };
    send(report);
    const values = cookies.map((c) => c.split('; ')[0]?.slice(`${SIGNAL_PREFIX}${key}=`.length) ?? '');
    expect(values.length).toBeGreaterThan(1);
    expect(values.length).toBeLessThan(10);
    for (const v of values) expect(v.length).toBeLessThanOrEqual(3800);
    const carried = values.map((v) => JSON.parse(decodeURIComponent(v)));
    // Every finding once, in order, with its click id whole.
    expect(carried.flatMap((r) => r.observations.map((o: { name: string }) => o.name))).toEqual(names);
    for (const r of carried) {
      expect(r).toMatchObject({ type: 'observations', pageUrl: '', ids: report.ids });
      for (const o of r.observations)
        expect(o).toMatchObject({ value: 'x'.repeat(20), raw: observation(0).raw.slice(0, 256) });
    }
    expect(take()).toEqual([]);
  });

  it('a single finding, or any report, too long for a cookie waits and asks for a pull', () => {
    expect(
      cookieValues({ type: 'observations', ids: ['x'.repeat(5000)], observations: [{ raw: 'a' }] }),
    ).toBeNull();
    expect(cookieValues({ type: 'page-request', body: 'x'.repeat(5000) })).toBeNull();
    expect(cookieValues({ type: 'page-request', body: 'x' })).toEqual([
      cookieValue('{"type":"page-request","body":"x"}'),
    ]);
  });

  it('a cookie value carries any text, with nothing that ends or trims a cookie value', () => {
    const text = JSON.stringify({ s: 'a;b,c "q" \\ 100% \u00e9 \u{1F600} \t\n end' });
    const value = cookieValue(text);
    expect(value).toMatch(/^[\x21-\x7e]+$/);
    expect(value).not.toMatch(/;/);
    expect(decodeURIComponent(value)).toBe(text);
    // JSON's quotes, commas and braces stay as they are.
    const json = JSON.stringify({ type: 'observations', observations: [{ name: 'kt_subid', value: 'abc' }] });
    expect(cookieValue(json)).toBe(json);
  });

  it('a report that cannot be signalled (cookies throw) waits for a pull', () => {
    const { win, take } = freshWindow();
    Object.defineProperty(win.document, 'cookie', {
      configurable: true,
      set: () => {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
    });
    const { send } = pageChannel(win);
    take();
    expect(() => send(beacon)).not.toThrow();
    expect(take()).toEqual([beacon]);
  });

  it("where the browser blocks the site's cookies, a report waits for a pull", () => {
    const { win, cookies, take } = freshWindow();
    Object.defineProperty(win.navigator, 'cookieEnabled', { configurable: true, get: () => false });
    const { send } = pageChannel(win);
    take();
    send(beacon);
    expect(cookies).toEqual([]);
    expect(take()).toEqual([beacon]);
  });

  it('a rescan in the pull reads the page and returns what it found, not in a cookie', () => {
    const { win, cookies, take } = freshWindow();
    const { send } = pageChannel(win);
    take();
    win.addEventListener(RESCAN_EVENT, () => send(found));
    expect(take(true)).toEqual([found]);
    expect(cookies).toEqual([]);
  });

  it('pullInPage (run in the page by the background) returns what waits and the key; a page without a channel gives nothing', () => {
    expect(pullInPage('postback-lens:nothing-here', false)).toBeNull();
    const { send } = pageChannel(window);
    send(found);
    expect(pullInPage(PULL_KEY, false)).toEqual({
      key: expect.stringMatching(SIGNAL_KEY),
      reports: [JSON.stringify(found)],
    });
    // A page-defined look-alike that is not a function gives nothing either.
    Object.defineProperty(window, Symbol.for(PULL_KEY), { value: 'junk', configurable: true });
    expect(pullInPage(PULL_KEY, true)).toBeNull();
  });

  it('makes a 128-bit hex key from the random numbers it is given', () => {
    expect(makeNonce(() => 0)).toBe('0'.repeat(32));
    expect(makeNonce(() => 0.9999999999)).toBe('f'.repeat(32));
    const seen = new Set(Array.from({ length: 1000 }, () => makeNonce(Math.random)));
    expect(seen.size).toBe(1000);
    for (const n of seen) expect(n).toMatch(SIGNAL_KEY);
  });

  it('takes its random numbers before the page can replace Math.random', () => {
    const { win, pull } = freshWindow();
    pageChannel(win);
    win.Math.random = () => 0;
    expect(pull()?.key).not.toBe('0'.repeat(32));
  });

  it('dispatchInPage (Firefox: run in the page by the background) dispatches the event there', () => {
    const seen = vi.fn();
    window.addEventListener(RESCAN_EVENT, seen);
    dispatchInPage(RESCAN_EVENT);
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('keeps at most 50 reports for a pull that never comes', () => {
    const { win, take } = freshWindow();
    const { send } = pageChannel(win);
    for (let i = 0; i < 80; i++) send({ type: 'observations', observations: [], i });
    const kept = take() ?? [];
    expect(kept).toHaveLength(50);
    expect(kept[0]).toMatchObject({ i: 0 });
  });

  it('a landing signals from its first report on, under its URL key, with no pull before', () => {
    const url = 'https://lp.example/pre?subid=51ts6sgr1cbkdhljnrv';
    const { win, cookies, pull, take } = freshWindow();
    const channel = pageChannel(win);
    channel.landing(url);
    channel.send(found);
    expect(cookies).toEqual([
      `${SIGNAL_PREFIX}${urlKey(url)}=${cookieValue(JSON.stringify(found))}; path=${SIGNAL_PATH}; max-age=60; samesite=strict`,
    ]);
    expect(take()).toEqual([]);
    // A pull (a tracker request, the panel) takes the same key: the background knows it already.
    expect(pull()?.key).toBe(urlKey(url));
    // Another tab's landing of the same URL took it: asked for a new one, it signals under that.
    const takeFn = (win as unknown as Record<symbol, (r: boolean, k: boolean) => Pulled>)[
      Symbol.for(PULL_KEY)
    ];
    const rekeyed = takeFn?.(false, true);
    expect(rekeyed?.key).toMatch(/^[0-9a-f]{32}$/);
    expect(pull()?.key).toBe(rekeyed?.key);
    channel.send(beacon);
    expect(cookies[1]?.startsWith(`${SIGNAL_PREFIX}${rekeyed?.key}=`)).toBe(true);
  });

  it('urlKey: 8 hex digits of the URL, the same for the same URL, apart for others', () => {
    const keys = new Set(
      Array.from({ length: 2000 }, (_, i) => urlKey(`https://lp.example/?subid=${i}abcdefgh`)),
    );
    expect(keys.size).toBe(2000);
    for (const k of keys) expect(k).toMatch(SIGNAL_KEY);
    expect(urlKey('https://lp.example/?subid=1abcdefgh')).toBe(urlKey('https://lp.example/?subid=1abcdefgh'));
    // FNV-1a's published vectors (32-bit): "" and "a".
    expect(urlKey('')).toBe('811c9dc5');
    expect(urlKey('a')).toBe('e40c292c');
  });

  it('a report that cannot be made into JSON never throws into the page', () => {
    const { win, take } = freshWindow();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => pageChannel(win).send(circular)).not.toThrow();
    expect(take()).toEqual([]);
  });
});
