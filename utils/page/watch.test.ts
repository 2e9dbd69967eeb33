// @vitest-environment jsdom
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RESCAN_EVENT } from './channel';
import { pageHost, startPageWatch } from './watch';

const ID = '51ts6sgr1cbkdhljnrv';
type Sent = {
  type: string;
  ids: string[];
  observations: Array<{ place: string; name: string; value: string }>;
};
const placesOf = (send: ReturnType<typeof vi.fn>, call: number) =>
  (send.mock.calls[call]?.[0] as Sent | undefined)?.observations.map((o) => o.place);

/** A fresh landing: the URL, the body, and a watch on it (listeners of earlier tests stay on jsdom's window, with their own `send`). */
function landing(body = '') {
  window.history.replaceState(null, '', `/lp?subid=${ID}`);
  document.body.innerHTML = body;
  const send = vi.fn();
  const watch = startPageWatch(window, send);
  return { send, watch };
}

/** What the browser fires as a page has loaded: the load event, then (in the same task) pageshow. */
function loaded() {
  window.dispatchEvent(new Event('load'));
  window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
}

describe('startPageWatch', () => {
  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
    document.body.innerHTML = '';
  });

  it('leaves a page without click ids alone', () => {
    window.history.replaceState(null, '', '/plain?q=1&subid={subid}');
    const send = vi.fn();
    expect(startPageWatch(window, send)).toBeNull();
    loaded();
    window.dispatchEvent(new Event(RESCAN_EVENT));
    expect(send).not.toHaveBeenCalled();
  });

  it('scans a landing once, as it has loaded, and not again on its own', () => {
    vi.useFakeTimers();
    const { send } = landing(`<form action="/go"><input type="hidden" name="subid" value="${ID}"></form>`);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    vi.runAllTimers();
    expect(send).not.toHaveBeenCalled();
    loaded();
    expect(send.mock.calls).toHaveLength(1);
    // No page URL of its own: the background takes the frame's from the browser.
    expect(send.mock.calls[0]?.[0]).toMatchObject({ type: 'observations', pageUrl: '', ids: [ID] });
    expect(placesOf(send, 0)).toEqual(['hidden-input']);
    // What the page adds later is read on the next click, not by a timer.
    document.body.insertAdjacentHTML('beforeend', `<a href="/offer?subid=${ID}">Offer</a>`);
    loaded();
    vi.advanceTimersByTime(10_000);
    expect(send).toHaveBeenCalledTimes(1);
    document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    vi.runAllTimers();
    expect(placesOf(send, 1)).toEqual(['link']);
  });

  it("scans after the page's own load handlers, so a field they fill is read", () => {
    const { send } = landing('<input type="hidden" name="subid" id="f">');
    // The page's handler is added after the watch's, as a page script runs after document_start.
    window.addEventListener(
      'load',
      () => {
        (document.getElementById('f') as HTMLInputElement).value = ID;
      },
      { once: true },
    );
    loaded();
    expect(placesOf(send, 0)).toEqual(['hidden-input']);
  });

  it('a click that leaves the page is read as the page goes', () => {
    vi.useFakeTimers();
    const { send } = landing();
    loaded();
    document.body.innerHTML = `<a href="/offer?subid=${ID}">Offer</a>`;
    document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    window.dispatchEvent(new Event('pagehide'));
    expect(placesOf(send, 0)).toEqual(['link']);
    // The pending scan ran at pagehide: its timer does not scan again.
    vi.runAllTimers();
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('a landing left before its load event is read whole as it goes, and the cookie jar asked for', () => {
    const { send, watch } = landing();
    // The URL it committed with, for the channel's key, whatever the page makes of its URL later.
    window.history.replaceState(null, '', '/lp');
    expect(watch?.url).toBe(`${location.origin}/lp?subid=${ID}`);
    localStorage.kt_subid = ID; // a property write: the hook never sees it
    window.dispatchEvent(new Event('pagehide'));
    expect(placesOf(send, 0)).toEqual(['localStorage']);
    // A landing left with nothing stored still reports, so the background reads the jar once more.
    localStorage.clear();
    const bare = landing();
    window.dispatchEvent(new Event('pagehide'));
    expect(bare.send.mock.calls[0]?.[0]).toMatchObject({ type: 'observations', ids: [ID], observations: [] });
  });

  it('a loaded landing left with nothing waiting sends nothing more', () => {
    const { send } = landing();
    loaded();
    localStorage.kt_subid = ID;
    window.dispatchEvent(new Event('pagehide'));
    expect(send).not.toHaveBeenCalled();
  });

  it('reads storage and asks for the cookie jar when the panel opens on the tab', () => {
    localStorage.setItem('kt', ID); // written by an earlier page: the hook never saw it
    const { send } = landing();
    window.dispatchEvent(new Event(RESCAN_EVENT));
    expect(send.mock.calls).toHaveLength(1);
    expect(send.mock.calls[0]?.[0].observations).toEqual([
      expect.objectContaining({ place: 'localStorage', name: 'kt', value: ID }),
    ]);
    // Nothing new on the next rescan, but the background still re-reads the cookie jar.
    window.dispatchEvent(new Event(RESCAN_EVENT));
    expect(send.mock.calls[1]?.[0]).toMatchObject({ type: 'observations', observations: [] });
  });

  it('re-reads the storage area the page wrote, folding a burst of writes into one scan', () => {
    vi.useFakeTimers();
    const { send, watch } = landing();
    loaded();
    expect(send).not.toHaveBeenCalled();
    localStorage.setItem('old', ID);
    localStorage.setItem('kt_subid', ID);
    for (let i = 0; i < 10; i++) watch?.changed('localStorage');
    vi.runAllTimers();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0].observations.map((o: { name: string }) => o.name).sort()).toEqual([
      'kt_subid',
      'old',
    ]);
  });

  it('stops after a bounded number of scans, whatever the page or the panel asks', () => {
    const { send } = landing();
    for (let i = 0; i < 100; i++) window.dispatchEvent(new Event(RESCAN_EVENT));
    expect(send.mock.calls.length).toBeGreaterThan(0);
    expect(send.mock.calls.length).toBeLessThanOrEqual(30);
  });
});

describe('pageHost', () => {
  it('is URL.host for the http(s) URLs a document has, and empty for other schemes', () => {
    const url = fc
      .tuple(
        fc.constantFrom('http', 'https', 'HTTPS'),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.option(fc.webAuthority({ withPort: true, withUserInfo: true }), { nil: undefined }),
      )
      .map(([scheme, web, authority]) => {
        const rest = web.replace(/^https?:\/\/[^/?#]*/, '');
        return `${scheme}://${authority ?? new URL(web).host}${rest}`;
      })
      .filter((u) => URL.canParse(u));
    fc.assert(fc.property(url, (u) => pageHost(u) === new URL(u).host));
    expect(pageHost('http://landing.example:8080/lp?subid=x')).toBe('landing.example:8080');
    expect(pageHost('https://User:pw@LP.Example/x')).toBe('lp.example');
    expect(pageHost('file:///tmp/lp.html')).toBe('');
    expect(pageHost('about:blank')).toBe('');
  });
});
