// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANGED_EVENT, REQUEST_EVENT } from './hook';
import { startPageWatch } from './watch';

const ID = '51ts6sgr1cbkdhljnrv';

describe('startPageWatch', () => {
  afterEach(() => {
    vi.useRealTimers();
    localStorage.clear();
  });

  it('does nothing on a page without click ids but still relays the page hook', () => {
    window.history.replaceState(null, '', '/plain?q=1');
    const send = vi.fn();
    startPageWatch(window, send);
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

  it('sends nothing while it finds nothing, then a storage write when the page writes', () => {
    vi.useFakeTimers();
    window.history.replaceState(null, '', `/lp?subid=${ID}`);
    localStorage.setItem('old', ID); // written before this page: read only as the page leaves
    const send = vi.fn();
    startPageWatch(window, send);
    document.dispatchEvent(new Event('DOMContentLoaded'));
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
