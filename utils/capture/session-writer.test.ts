import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import type { SessionEvent } from '../session/events';
import { loadSession, parseIndex } from '../storage';
import { createSessionWriter } from './session-writer';

/** Storage whose writes take `ms` each, and which counts them: a burst's writes outlast its events. */
function slowStorage(ms: number) {
  let writes = 0;
  const slow: typeof storage = {
    ...storage,
    setItems: async (items) => {
      writes++;
      await new Promise((r) => setTimeout(r, ms));
      return storage.setItems(items);
    },
  };
  return { slow, writes: () => writes };
}

const pixel = (i: number, tabId = 4): SessionEvent => ({
  type: 'request-start',
  tabId,
  at: 1000 + i,
  id: String(i),
  frameId: 0,
  resourceType: 'image',
  method: 'GET',
  url: `https://tracker.example/?_update_tokens=1&sub_id=51ts6sgr1cbkdhljnrv&sub_id_2=${i}`,
});

const liveId = async (tabId: number) => parseIndex(await storage.getItem('local:index')).live[String(tabId)];

async function requestsOfTab(tabId: number) {
  const id = await liveId(tabId);
  return id ? ((await loadSession(id))?.requests ?? []) : [];
}

const storedKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null));

describe('session writer', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('folds the events that arrive during a slow write into one next write, not a write each', async () => {
    const { slow, writes } = slowStorage(80);
    const writer = createSessionWriter({ storage: slow, delayMs: 5 });
    // 60 events over ~300 ms, while each write takes 80 ms: a write per timer tick would queue dozens.
    for (let i = 0; i < 60; i++) {
      writer.push(pixel(i));
      await new Promise((r) => setTimeout(r, 5));
    }
    await writer.flush();
    expect((await requestsOfTab(4)).map((r) => r.id)).toEqual(
      Array.from({ length: 60 }, (_, i) => String(i)),
    );
    // Timer ticks every ~5 ms would be ~60 writes; one at a time with the rest folded is a handful.
    expect(writes()).toBeLessThanOrEqual(8);
  });

  it('flush resolves only once everything pushed before it is stored', async () => {
    const { slow } = slowStorage(30);
    const writer = createSessionWriter({ storage: slow, delayMs: 1 });
    writer.push(pixel(0));
    await new Promise((r) => setTimeout(r, 10)); // the first write is under way
    writer.push(pixel(1));
    writer.push(pixel(2));
    await writer.flush();
    expect((await requestsOfTab(4)).map((r) => r.id)).toEqual(['0', '1', '2']);
  });

  it('a failed write is reported and the next batch is still written', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const flaky: typeof storage = {
      ...storage,
      setItems: async (items) => {
        if (fail) {
          fail = false;
          throw new Error('quota');
        }
        return storage.setItems(items);
      },
    };
    const writer = createSessionWriter({ storage: flaky, onError: (e) => errors.push(e) });
    writer.push(pixel(0));
    await writer.flush();
    writer.push(pixel(1));
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect((await requestsOfTab(4)).map((r) => r.id)).toEqual(['1']);
  });

  it('evicting a recent session removes its chunks too', async () => {
    await storage.setItem('local:settings', { caps: { recentSessions: 1 } });
    const writer = createSessionWriter({ storage, delayMs: 1 });
    for (let i = 0; i < 300; i++) writer.push(pixel(i, 1));
    for (let i = 0; i < 300; i++) writer.push(pixel(i, 2));
    await writer.flush();
    const [first, second] = [await liveId(1), await liveId(2)];
    writer.push({ type: 'tab-closed', tabId: 1, at: 9000 });
    await writer.flush();
    writer.push({ type: 'tab-closed', tabId: 2, at: 9001 });
    await writer.flush();
    expect(parseIndex(await storage.getItem('local:index')).recent).toEqual([second]);
    const keys = await storedKeys();
    expect(keys.filter((k) => k.includes(`:${first}`))).toEqual([]);
    expect(keys.filter((k) => k.startsWith('requests:')).sort()).toEqual([
      `requests:${second}:0`,
      `requests:${second}:1`,
    ]);
  });
});
