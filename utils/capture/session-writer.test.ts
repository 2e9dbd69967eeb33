import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { createSession } from '../session/apply-events';
import type { SessionEvent } from '../session/events';
import { parsePreview } from '../session/preview';
import { loadSession, parseIndex, removeSessions, requestsKey, sessionItems, sessionKey } from '../storage';
import { createSessionWriter, DERIVED_MS } from './session-writer';

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

/** Storage whose next write fails once `failNext()` was called. */
function flakyStorage() {
  let fail = false;
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
  return {
    flaky,
    failNext: () => {
      fail = true;
    },
  };
}

/** Storage that notes the keys of every read and of every write. */
function spyStorage() {
  const reads: string[] = [];
  let readCalls = 0;
  const writes: string[][] = [];
  const keyOf = (k: string | { key: string }) => (typeof k === 'string' ? k : k.key);
  const spy: typeof storage = {
    ...storage,
    getItem: ((key: string, opts?: object) => {
      reads.push(key);
      readCalls++;
      return storage.getItem(key as `local:${string}`, opts);
    }) as typeof storage.getItem,
    getItems: (keys) => {
      reads.push(...keys.map(keyOf));
      readCalls++;
      return storage.getItems(keys);
    },
    setItems: (items) => {
      writes.push(items.map((i) => ('key' in i ? i.key : i.item.key)));
      return storage.setItems(items);
    },
  };
  const chunkReads = () => reads.filter((k) => k.startsWith('local:requests:'));
  const reset = () => {
    reads.length = 0;
    readCalls = 0;
    writes.length = 0;
  };
  return { spy, reads, writes, chunkReads, reset, readCalls: () => readCalls };
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

const complete = (i: number): SessionEvent => ({
  type: 'request-complete',
  tabId: 4,
  at: 5000 + i,
  id: String(i),
  status: 200,
});

const liveId = async (tabId: number) => parseIndex(await storage.getItem('local:index')).live[String(tabId)];

async function requestsOfTab(tabId: number) {
  const id = await liveId(tabId);
  return id ? ((await loadSession(id))?.requests ?? []) : [];
}

const storedKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null));

/** A writer that has stored `n` pixels of tab 4 in one flush. */
async function writerWith(n: number, spy: typeof storage) {
  const writer = createSessionWriter({ storage: spy, delayMs: 1 });
  for (let i = 0; i < n; i++) writer.push(pixel(i));
  await writer.flush();
  return writer;
}

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

  it('during a burst the trails and preview wait for its end (or DERIVED_MS); the header and requests do not', async () => {
    const { spy, writes, reset } = spyStorage();
    let arriving = 0;
    let next = 100;
    const written: number[] = [];
    // Events arrive while a write reads storage: the write finds more waiting behind it.
    const busy: typeof storage = {
      ...spy,
      getItems: (keys) => {
        if (arriving-- > 0) writer.push(pixel(next++));
        return spy.getItems(keys);
      },
    };
    const writer = createSessionWriter({
      storage: busy,
      delayMs: 1,
      onWritten: (ws) => {
        written.push(...ws.map((w) => w.session.requests.length));
      },
    });
    const clock = vi.spyOn(Date, 'now').mockReturnValue(50_000);
    try {
      writer.push(pixel(0));
      await writer.flush(); // a new session: its preview at once
      const id = (await liveId(4)) ?? '';
      const preview = `local:preview:${id}` as const;
      reset();
      arriving = 1;
      writer.push(pixel(1));
      await writer.flush(); // another event came in meanwhile: no trails, no preview, no badge
      expect(writes).toEqual([[sessionKey(id), requestsKey(id, 0), 'local:index']]);
      await writer.flush(); // nothing waits behind this one: trails and preview of all three
      expect(writes[1]).toContain(preview);
      expect(parsePreview(await storage.getItem(preview))?.total).toBe(3);
      expect(written).toEqual([1, 3]);

      // A burst that never pauses still gets them once DERIVED_MS has passed.
      reset();
      arriving = 1;
      clock.mockReturnValue(50_000 + DERIVED_MS);
      writer.push(pixel(2));
      await writer.flush();
      expect(writes[0]).toContain(preview);
      await writer.flush();
      expect((await requestsOfTab(4)).length).toBe(5);
    } finally {
      clock.mockRestore();
    }
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
    const { flaky, failNext } = flakyStorage();
    failNext();
    const writer = createSessionWriter({ storage: flaky, onError: (e) => errors.push(e) });
    writer.push(pixel(0));
    await writer.flush();
    writer.push(pixel(1));
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect((await requestsOfTab(4)).map((r) => r.id)).toEqual(['1']);
  });

  it('a flush that updates an old request rewrites its chunk, the tail and the header, and reads no chunk', async () => {
    const { spy, reads, writes, chunkReads, reset } = spyStorage();
    const writer = await writerWith(1234, spy);
    const id = (await liveId(4)) ?? '';
    expect(writes).toEqual([
      [
        sessionKey(id),
        ...[0, 1, 2, 3, 4].map((k) => requestsKey(id, k)),
        `local:preview:${id}`,
        'local:index',
      ],
    ]);
    reset();
    writer.push(complete(10)); // chunk 0
    writer.push(pixel(1234)); // appended to chunk 4
    await writer.flush();
    expect(writes).toEqual([
      [sessionKey(id), requestsKey(id, 0), requestsKey(id, 4), `local:preview:${id}`, 'local:index'],
    ]);
    // The header is read (its revision checked), the requests come from the writer's own last write.
    expect(reads).toContain(sessionKey(id));
    expect(chunkReads()).toEqual([]);
    const requests = await requestsOfTab(4);
    expect(requests).toHaveLength(1235);
    expect(requests[10]).toMatchObject({ id: '10', status: 200, endedAt: 5010 });
    expect(requests[1234]?.id).toBe('1234');
  });

  it('a new writer (a restarted worker) reads the chunks once, then works from its own writes', async () => {
    await writerWith(600, storage);
    const id = (await liveId(4)) ?? '';
    const { spy, writes, chunkReads, reset, readCalls } = spyStorage();
    const restarted = createSessionWriter({ storage: spy, delayMs: 1 });
    restarted.push(complete(300));
    await restarted.flush();
    expect(chunkReads()).toEqual([0, 1, 2].map((k) => requestsKey(id, k)));
    expect(writes).toEqual([[sessionKey(id), requestsKey(id, 1), `local:preview:${id}`, 'local:index']]);
    reset();
    restarted.push(complete(301));
    await restarted.flush();
    expect(chunkReads()).toEqual([]);
    // One read (index, settings and the header it wrote last), one write: each is a browser API call.
    expect(readCalls()).toBe(1);
    expect(writes).toHaveLength(1);
    expect((await requestsOfTab(4)).filter((r) => r.status === 200).map((r) => r.id)).toEqual(['300', '301']);
  });

  it('does not use its memo once the stored revision moved on: another write is kept, not overwritten', async () => {
    const { spy, chunkReads, reset } = spyStorage();
    const writer = await writerWith(300, spy);
    const id = (await liveId(4)) ?? '';
    // Someone else rewrites the session behind the writer's back (a newer revision).
    const stored = await loadSession(id);
    if (!stored) throw new Error('not stored');
    const other = stored.requests[5];
    if (other) other.error = 'written elsewhere';
    await storage.setItems(sessionItems(stored, 2));
    reset();
    writer.push(complete(6)); // the same chunk as request 5
    await writer.flush();
    expect(chunkReads()).toEqual([requestsKey(id, 0), requestsKey(id, 1)]);
    const requests = await requestsOfTab(4);
    expect(requests[5]?.error).toBe('written elsewhere');
    expect(requests[6]?.status).toBe(200);
  });

  it('does not use its memo for a session cleared and stored again under the same id', async () => {
    const writer = await writerWith(10, storage);
    writer.push(complete(1));
    await writer.flush(); // its memo: revision 2, requests 0–9
    const id = (await liveId(4)) ?? '';
    await removeSessions([id]);
    expect(await loadSession(id)).toBeNull();
    const fresh = { ...createSession(4, 1000), id, requests: [] };
    await storage.setItems(sessionItems(fresh, 1));
    writer.push(pixel(50));
    await writer.flush();
    expect((await requestsOfTab(4)).map((r) => r.id)).toEqual(['50']);
  });

  it('after a failed write it reads storage again: what failed is not taken as stored', async () => {
    const { flaky, failNext } = flakyStorage();
    const writer = createSessionWriter({ storage: flaky, delayMs: 1, onError: () => {} });
    for (let i = 0; i < 250; i++) writer.push(pixel(i));
    await writer.flush();
    failNext();
    writer.push(complete(0)); // chunk 0, lost with the failed write
    writer.push(pixel(250)); // chunk 1, lost too
    await writer.flush();
    writer.push(pixel(251));
    await writer.flush();
    const requests = await requestsOfTab(4);
    expect(requests.map((r) => r.id)).toEqual([...Array.from({ length: 250 }, (_, i) => String(i)), '251']);
    expect(requests[0]?.status).toBeUndefined();
  });

  it('puts what comes after a tab closed on the session it left, not into a new live one', async () => {
    const writer = createSessionWriter({ storage, delayMs: 1 });
    writer.push(pixel(1, 5));
    await writer.flush();
    const id = await liveId(5);
    writer.push({ type: 'tab-closed', tabId: 5, at: 9000 });
    await writer.flush();
    // The jar read the leaving page asked for, say, lands after the close.
    writer.push(pixel(2, 5));
    await writer.flush();
    const index = parseIndex(await storage.getItem('local:index'));
    expect(index.live).toEqual({});
    expect(index.recent).toEqual([id]);
    const session = id ? await loadSession(id, storage) : null;
    expect(session?.requests.map((r) => r.id)).toEqual(['1', '2']);
    expect(session?.closedAt).toBe(9000);
  });

  it("puts a replay from a closed tab's session on that session, also after the worker restarted", async () => {
    const first = createSessionWriter({ storage, delayMs: 1 });
    first.push(pixel(1, 6));
    await first.flush();
    const id = (await liveId(6)) ?? '';
    first.push({ type: 'tab-closed', tabId: 6, at: 9000 });
    await first.flush();
    // A new worker: it never saw the tab close.
    const writer = createSessionWriter({ storage, delayMs: 1 });
    const replay = (at: number, sessionId: string) =>
      ({
        type: 'replay',
        tabId: 6,
        sessionId,
        at,
        replay: {
          id: `replay-${at}`,
          at,
          request: { url: 'https://tracker.example/postback?subid=x', method: 'GET', withCookies: false },
          response: null,
          error: 'no answer',
          meaning: null,
        },
      }) as const;
    writer.push(replay(9100, id));
    writer.push(replay(9200, 'session-cleared-meanwhile'));
    await writer.flush();
    const index = parseIndex(await storage.getItem('local:index'));
    expect(index.live).toEqual({});
    expect(index.recent).toEqual([id]);
    const session = await loadSession(id, storage);
    expect(session?.replays.map((r) => r.id)).toEqual(['replay-9100']);
    expect(session?.closedAt).toBe(9000);
    // The panel shows it from the preview, rebuilt with it.
    expect(parsePreview(await storage.getItem(`local:preview:${id}`))?.session.replays).toHaveLength(1);
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
