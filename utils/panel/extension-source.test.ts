import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { brokenSession, browserPostback, healthySession } from '../../components/fixtures/sessions';
import { DEFAULT_SETTINGS } from '../settings';
import { sessionItems, sessionKey } from '../storage';
import { createExtensionSource } from './extension-source';
import { createPanelStore } from './store';

/** The panel as a view of extension storage: read through WXT storage, live through storage.watch. */
describe('extension source + store', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await storage.setItems([
      ...sessionItems(healthySession, 1),
      ...sessionItems({ ...brokenSession, closedAt: 1 }, 1),
    ]);
    await storage.setItem('local:index', {
      live: { [String(healthySession.tabId)]: healthySession.id },
      recent: [brokenSession.id],
    });
  });
  afterEach(() => vi.useRealTimers());

  const waitUntil = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(check()).toBe(true);
  };

  it('finds the tab’s live session through the index and follows storage changes', async () => {
    const store = createPanelStore(createExtensionSource());
    await store.getState().init({ tabId: healthySession.tabId });
    expect(store.getState().status).toBe('ready');
    expect(store.getState().session?.id).toBe(healthySession.id);
    expect(store.getState().settings).toEqual(DEFAULT_SETTINGS);

    await storage.setItems(
      sessionItems({ ...healthySession, requests: [...healthySession.requests, browserPostback] }, 2),
    );
    await waitUntil(() => store.getState().session?.requests.length === 3);

    await storage.setItem('local:settings', { ...DEFAULT_SETTINGS, postbackKey: 'e89bcbe' });
    await waitUntil(() => store.getState().settings.postbackKey === 'e89bcbe');
    store.getState().dispose();
  });

  it('reads a watched session one read at a time and ends on its latest revision', async () => {
    const store = createPanelStore(createExtensionSource());
    await store.getState().init({ tabId: healthySession.tabId });
    // Slow reads, as of a big session: writes keep coming while one is under way.
    let reading = 0;
    let most = 0;
    const getItems = storage.getItems;
    const slow = vi.spyOn(storage, 'getItems').mockImplementation(async (keys) => {
      most = Math.max(most, ++reading);
      await new Promise((r) => setTimeout(r, 400));
      reading--;
      return getItems(keys);
    });
    const more = Array.from({ length: 6 }, (_, i) => ({ ...browserPostback, id: `pb${i}` }));
    for (let n = 1; n <= more.length; n++) {
      const requests = [...healthySession.requests, ...more.slice(0, n)];
      await storage.setItems(sessionItems({ ...healthySession, requests }, 1 + n));
      await new Promise((r) => setTimeout(r, 150));
    }
    await vi.waitFor(
      () =>
        expect(
          store
            .getState()
            .session?.requests.map((r) => r.id)
            .at(-1),
        ).toBe('pb5'),
      {
        timeout: 5000,
      },
    );
    expect(most).toBe(1);
    slow.mockRestore();
    store.getState().dispose();
  });

  it('switches when the tab gets a new session, and shows "missing" when it is cleared', async () => {
    const store = createPanelStore(createExtensionSource());
    await store.getState().init({ tabId: healthySession.tabId });
    await storage.setItem('local:index', {
      live: { [String(healthySession.tabId)]: brokenSession.id },
      recent: [],
    });
    await waitUntil(() => store.getState().session?.id === brokenSession.id);
    await storage.setItem('local:index', { live: {}, recent: [] });
    await waitUntil(() => store.getState().status === 'missing');
    store.getState().dispose();
  });

  it('opens a recent session by id and lists recent sessions', async () => {
    const store = createPanelStore(createExtensionSource());
    await store.getState().init({ sessionId: brokenSession.id });
    expect(store.getState().session?.closedAt).toBe(1);
    await store.getState().loadRecent();
    expect(store.getState().recent).toEqual([
      { id: brokenSession.id, url: brokenSession.url, title: brokenSession.title, closedAt: 1, requests: 1 },
    ]);
    store.getState().dispose();
  });

  it('a stored record that does not parse is "missing", not a crash', async () => {
    await storage.setItem(sessionKey('bad'), { version: 99 });
    const store = createPanelStore(createExtensionSource());
    await store.getState().init({ sessionId: 'bad' });
    expect(store.getState().status).toBe('missing');
  });

  it('messages go to the background and a missing answer is an error reply', async () => {
    const source = createExtensionSource();
    fakeBrowser.runtime.onMessage.addListener((_m, _s, reply) => {
      reply({ ok: true, data: { cleared: 2 } });
      return true;
    });
    expect(await source.send({ type: 'clear-sessions' })).toEqual({ ok: true, data: { cleared: 2 } });
  });
});
