// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { dispatchInPage, RELAY_EVENT, REPORT_EVENT, RESCAN_EVENT, relayReports, reportTo } from './channel';

/** A window of its own (an iframe's): relays of other tests do not listen on it. */
function freshWindow() {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  return frame.contentWindow as Window & typeof globalThis;
}

describe('page channel', () => {
  it('carries a page report from the MAIN world to the relay as plain JSON', () => {
    const send = vi.fn();
    relayReports(window, send);
    const report = {
      type: 'page-request',
      via: 'beacon',
      url: 'https://t.example/k/postback?subid=x',
      at: 1,
    };
    reportTo(window)(report);
    expect(send.mock.calls).toEqual([[report]]);
  });

  it('passes on only the reports a page may make: forged commands, junk and floods stay behind', () => {
    const send = vi.fn();
    relayReports(window, send);
    const dispatch = (detail: unknown) => window.dispatchEvent(new CustomEvent(REPORT_EVENT, { detail }));
    dispatch(JSON.stringify({ type: 'clear-sessions' }));
    dispatch(JSON.stringify({ type: 'replay', url: 'https://bank.example/', withCookies: true }));
    dispatch(JSON.stringify({ type: 'export-session', tabId: 1 }));
    dispatch('not json');
    dispatch('null');
    dispatch({ type: 'page-request' }); // an object, not a string
    dispatch(JSON.stringify({ type: 'observations', pad: 'x'.repeat(100 * 1024) }));
    expect(send).not.toHaveBeenCalled();
    dispatch(JSON.stringify({ type: 'observations', observations: [] }));
    expect(send.mock.calls).toEqual([[{ type: 'observations', observations: [] }]]);
  });

  it('keeps what no relay took until one arrives, which returns it (the injection result); later reports go straight through', () => {
    const win = freshWindow();
    const report = reportTo(win);
    report({ type: 'observations', observations: [{ place: 'hidden-input' }] });
    report({ type: 'page-request', via: 'beacon', url: 'https://t.example/k/postback' });
    win.dispatchEvent(new win.Event(RELAY_EVENT)); // the page can say a relay came: nobody takes them yet
    const send = vi.fn();
    // The relay says it is here as it starts to listen, and returns what waited instead of sending it.
    const returned = relayReports(win, send) as Array<{ type: string }>;
    expect(returned.map((m) => m.type)).toEqual(['observations', 'page-request']);
    expect(send).not.toHaveBeenCalled();
    win.dispatchEvent(new win.Event(RELAY_EVENT)); // said again: nothing is waiting any more
    report({ type: 'observations', observations: [] });
    expect(send.mock.calls).toEqual([[{ type: 'observations', observations: [] }]]);
    expect(returned).toHaveLength(2);
  });

  it('dispatchInPage (run in the page by the background) dispatches the event there', () => {
    const seen = vi.fn();
    window.addEventListener(RESCAN_EVENT, seen);
    dispatchInPage(RESCAN_EVENT);
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('keeps at most 50 reports for a relay that never comes', () => {
    const win = freshWindow();
    const report = reportTo(win);
    for (let i = 0; i < 80; i++) report({ type: 'observations', observations: [], i });
    const returned = relayReports(win, vi.fn());
    expect(returned).toHaveLength(50);
    expect(returned[0]).toMatchObject({ i: 0 });
  });

  it('returns at most 50 reports however many the page offers as the relay arrives', () => {
    const win = freshWindow();
    // A page that answers the relay's arrival with a flood of its own reports.
    win.addEventListener(RELAY_EVENT, () => {
      for (let i = 0; i < 500; i++)
        win.dispatchEvent(
          new win.CustomEvent(REPORT_EVENT, {
            detail: JSON.stringify({ type: 'observations', observations: [], i }),
            cancelable: true,
          }),
        );
    });
    expect(relayReports(win, vi.fn())).toHaveLength(50);
  });

  it('a report that cannot be sent never throws into the page', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => reportTo(window)(circular)).not.toThrow();
  });
});
