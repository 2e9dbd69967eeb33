// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANGED_EVENT, REQUEST_EVENT } from './hook';
import { RESCAN_MESSAGE, startPageWatch } from './watch';

const ID = '51ts6sgr1cbkdhljnrv';

describe('startPageWatch', () => {
  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
  });

  it('does nothing on a page without click ids but still relays the page hook', () => {
    window.history.replaceState(null, '', '/plain?q=1');
    const send = vi.fn();
    expect(startPageWatch(window, send)).toBeNull();
    document.dispatchEvent(
      new CustomEvent(REQUEST_EVENT, {
        detail: JSON.stringify({ via: 'beacon', url: 'https://t/x/postback', method: 'POST' }),
      }),
    );
    document.dispatchEvent(new CustomEvent(REQUEST_EVENT, { detail: 'not json' }));
    expect(send.mock.calls).toEqual([
      [{ type: 'page-request', via: 'beacon', url: 'https://t/x/postback', method: 'POST' }],
    ]);
  });

  it('a forged hook event is relayed as a page request, never as another kind of message', () => {
    window.history.replaceState(null, '', '/plain');
    const send = vi.fn();
    startPageWatch(window, send);
    document.dispatchEvent(
      new CustomEvent(REQUEST_EVENT, { detail: JSON.stringify({ type: 'clear-sessions', url: 'x' }) }),
    );
    expect(send.mock.calls).toEqual([[{ type: 'page-request', url: 'x' }]]);
  });

  it('scans a landing once, in its load event, and not again on its own', () => {
    vi.useFakeTimers();
    window.history.replaceState(null, '', `/lp?subid=${ID}`);
    document.body.innerHTML = `<form action="/go"><input type="hidden" name="subid" value="${ID}"></form>`;
    const send = vi.fn();
    startPageWatch(window, send);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    vi.runAllTimers();
    expect(send).not.toHaveBeenCalled();
    window.dispatchEvent(new Event('load'));
    expect(send.mock.calls.map((c) => c[0].observations.map((o: { place: string }) => o.place))).toEqual([
      ['hidden-input'],
    ]);
    // What the page adds later is read on the next click, not by a timer.
    document.body.insertAdjacentHTML('beforeend', `<a href="/offer?subid=${ID}">Offer</a>`);
    window.dispatchEvent(new Event('load'));
    vi.advanceTimersByTime(10_000);
    expect(send).toHaveBeenCalledTimes(1);
    document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    vi.runAllTimers();
    expect(send.mock.calls[1]?.[0].observations.map((o: { place: string }) => o.place)).toEqual(['link']);
    document.body.innerHTML = '';
  });

  it('a click that leaves the page is read as the page goes', () => {
    vi.useFakeTimers();
    window.history.replaceState(null, '', `/lp?subid=${ID}`);
    const send = vi.fn();
    startPageWatch(window, send);
    window.dispatchEvent(new Event('load'));
    document.body.innerHTML = `<a href="/offer?subid=${ID}">Offer</a>`;
    document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    window.dispatchEvent(new Event('pagehide'));
    expect(send.mock.calls[0]?.[0].observations.map((o: { place: string }) => o.place)).toEqual(['link']);
    // The pending scan ran at pagehide: its timer does not scan again.
    vi.runAllTimers();
    expect(send).toHaveBeenCalledTimes(1);
    document.body.innerHTML = '';
  });

  it('reads storage and asks for the cookie jar when the panel opens on the tab; ignores other messages', () => {
    window.history.replaceState(null, '', `/lp?subid=${ID}`);
    localStorage.setItem('kt', ID); // written by an earlier page: the page hook never saw it
    const send = vi.fn();
    const watch = startPageWatch(window, send);
    watch?.receive('hello');
    watch?.receive(null);
    watch?.receive({ type: 'export-session' });
    expect(send).not.toHaveBeenCalled();
    watch?.receive({ type: RESCAN_MESSAGE });
    expect(send.mock.calls).toEqual([
      [
        expect.objectContaining({
          type: 'observations',
          ids: [ID],
          observations: [expect.objectContaining({ place: 'localStorage', name: 'kt', value: ID })],
        }),
      ],
    ]);
    // Nothing new on the next rescan, but the background still re-reads the cookie jar.
    watch?.receive({ type: RESCAN_MESSAGE });
    expect(send.mock.calls[1]?.[0]).toMatchObject({ type: 'observations', observations: [] });
  });

  it('sends nothing while it finds nothing, then a storage write when the page writes', () => {
    vi.useFakeTimers();
    window.history.replaceState(null, '', `/lp?subid=${ID}`);
    localStorage.setItem('old', ID); // written before this page: read once the page writes storage
    const send = vi.fn();
    startPageWatch(window, send);
    window.dispatchEvent(new Event('load'));
    vi.runAllTimers();
    expect(send).toHaveBeenCalledTimes(0);

    localStorage.setItem('kt_subid', ID);
    document.dispatchEvent(new CustomEvent(CHANGED_EVENT, { detail: 'localStorage' }));
    vi.runAllTimers();
    expect(send.mock.calls[0]?.[0].observations.map((o: { name: string }) => o.name).sort()).toEqual([
      'kt_subid',
      'old',
    ]);

    document.dispatchEvent(new CustomEvent(CHANGED_EVENT, { detail: 'cookie' }));
    vi.runAllTimers();
    // A cookie write: no new finding here, but the background is asked to read the cookie jar.
    expect(send.mock.calls[1]?.[0]).toMatchObject({ type: 'observations', ids: [ID], observations: [] });
  });
});
