// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { bodyText, installHook, isTrackerLike } from './hook';

describe('page hook', () => {
  it('turns every body kind into text', () => {
    expect(bodyText('a=1')).toBe('a=1');
    expect(bodyText(new URLSearchParams({ subid: 'x', status: 'lead' }))).toBe('subid=x&status=lead');
    const fd = new FormData();
    fd.append('subid', 'y');
    expect(bodyText(fd)).toBe('subid=y');
    expect(bodyText(new TextEncoder().encode('subid=z'))).toBe('subid=z');
    expect(bodyText(null)).toBeUndefined();
  });

  it('looks twice only at tracker-like URLs or bodies', () => {
    expect(isTrackerLike('https://t.example/e89bcbe/postback', undefined)).toBe(true);
    expect(isTrackerLike('https://t.example/collect', 'subid=abc&status=lead')).toBe(true);
    expect(isTrackerLike('https://www.google-analytics.com/g/collect?v=2', 'en=page_view')).toBe(false);
  });

  it('reports a tracker beacon with its body and still sends it', () => {
    const sent = vi.fn(() => true);
    Object.defineProperty(window.navigator, 'sendBeacon', {
      value: sent,
      configurable: true,
      writable: true,
    });
    const reports: unknown[] = [];
    installHook(window, (m) => reports.push(m));
    expect(
      navigator.sendBeacon('/e89bcbe/postback', new URLSearchParams({ subid: 'abc123', status: 'lead' })),
    ).toBe(true);
    navigator.sendBeacon('/analytics', 'x=1');
    expect(sent).toHaveBeenCalledTimes(2);
    expect(reports).toEqual([
      expect.objectContaining({
        type: 'page-request',
        via: 'beacon',
        method: 'POST',
        url: 'http://localhost:3000/e89bcbe/postback',
        body: 'subid=abc123&status=lead',
      }),
    ]);
  });

  it('tells the watch which store the page wrote, and a failing watch never breaks the page', () => {
    const areas: string[] = [];
    installHook(
      window,
      () => {},
      (area) => areas.push(area),
    );
    localStorage.setItem('a', '1');
    sessionStorage.setItem('b', '2');
    expect(areas).toEqual(['localStorage', 'sessionStorage']);
    expect(localStorage.getItem('a')).toBe('1');

    installHook(
      window,
      () => {},
      () => {
        throw new Error('watch failed');
      },
    );
    expect(() => localStorage.setItem('d', '4')).not.toThrow();
    expect(localStorage.getItem('d')).toBe('4');
    localStorage.clear();
    sessionStorage.clear();
  });

  it('leaves storage alone on a page nobody watches (no click ids)', () => {
    const before = Storage.prototype.setItem;
    installHook(window, () => {});
    expect(Storage.prototype.setItem).toBe(before);
  });
});
