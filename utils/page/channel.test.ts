// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { REPORT_EVENT, relayReports, reportTo } from './channel';

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

  it('a report that cannot be sent never throws into the page', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => reportTo(window)(circular)).not.toThrow();
  });
});
