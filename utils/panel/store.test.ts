import { describe, expect, it } from 'vitest';
import { healthySession, invalidTransReplay, saleSession } from '../../components/fixtures/sessions';
import { strings } from '../../components/strings';
import { createStaticSource } from './source';
import { createPanelStore } from './store';

describe('panel store', () => {
  it('a replay needs a session to be kept in', async () => {
    const store = createPanelStore(createStaticSource({ sessions: [] }));
    await store.getState().init({ tabId: 1 });
    expect(store.getState().status).toBe('missing');
    store
      .getState()
      .openBuilder({ url: 'https://tracker.example/k/postback?subid=x', method: 'GET', origin: 'paste' });
    expect(await store.getState().replay()).toBeNull();
    expect(store.getState().replayError).toBe(strings.replayNeedsSession);
  });

  it('opened on a tab, asks that tab to read its page again; opened on a stored session, asks nothing', async () => {
    const source = createStaticSource({ sessions: [healthySession] });
    const store = createPanelStore(source);
    await store.getState().init({ tabId: healthySession.tabId });
    expect(store.getState().session?.id).toBe(healthySession.id);
    expect(source.sent).toEqual([{ type: 'rescan-tab', tabId: healthySession.tabId }]);
    source.sent.length = 0;
    await store.getState().init({ sessionId: healthySession.id });
    expect(source.sent).toEqual([]);
  });

  it('a failed replay message shows its error; the POST body goes along', async () => {
    const source = createStaticSource({
      sessions: [healthySession],
      send: async () => ({ ok: false, error: 'boom' }),
    });
    const store = createPanelStore(source);
    await store.getState().init({ sessionId: healthySession.id });
    store
      .getState()
      .openBuilder({ url: 'https://t.example/k/postback', method: 'POST', body: 'subid=x', origin: 'paste' });
    await store.getState().replay();
    expect(store.getState().replayError).toBe('boom');
    expect(source.sent[0]).toMatchObject({
      type: 'replay',
      method: 'POST',
      body: 'subid=x',
      withCookies: false,
    });
  });

  it('a replay shows at once, before the storage watch confirms it', async () => {
    const source = createStaticSource({
      sessions: [healthySession],
      send: async () => ({ ok: true, data: invalidTransReplay }),
    });
    const store = createPanelStore(source);
    await store.getState().init({ sessionId: healthySession.id });
    store.getState().openBuilder({ url: invalidTransReplay.request.url, method: 'GET', origin: 'paste' });
    await store.getState().replay();
    expect(store.getState().session?.replays.map((r) => r.id)).toEqual(['r1']);
    expect(store.getState().lastReplayId).toBe('r1');
  });

  it('compare keeps the last two ticked', async () => {
    const store = createPanelStore(createStaticSource({ sessions: [saleSession] }));
    await store.getState().init({ sessionId: saleSession.id });
    store.getState().toggleCompare('a');
    store.getState().toggleCompare('b');
    store.getState().toggleCompare('c');
    expect(store.getState().compare).toEqual(['b', 'c']);
    store.getState().toggleCompare('b');
    expect(store.getState().compare).toEqual(['c']);
  });

  it('selecting a request switches to the requests view', async () => {
    const store = createPanelStore(createStaticSource({ sessions: [healthySession] }));
    await store.getState().init({ sessionId: healthySession.id });
    store.getState().select('101', 2);
    expect(store.getState()).toMatchObject({ view: 'requests', selected: { requestId: '101', hop: 2 } });
  });
});

describe('panel target', async () => {
  const { parseTarget, targetQuery } = await import('./target');
  it('toolbar popup: none; popped out: tab or session', () => {
    expect(parseTarget('')).toBeNull();
    expect(parseTarget('?tab=42')).toEqual({ tabId: 42 });
    expect(parseTarget('?tab=x')).toBeNull();
    expect(parseTarget('?session=s%201')).toEqual({ sessionId: 's 1' });
    expect(targetQuery({ tabId: 42 })).toBe('?tab=42');
    expect(targetQuery({ sessionId: 's 1' })).toBe('?session=s%201');
  });
});
