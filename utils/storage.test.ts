import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { createSession } from './session/apply-events';
import type { CapturedRequest, Session } from './session/schema';
import {
  loadSession,
  previewKey,
  REQUESTS_PER_CHUNK,
  removeSessions,
  requestsKey,
  sessionItems,
  sessionKey,
} from './storage';

const pixel = (i: number): CapturedRequest => ({
  id: String(i),
  pageId: null,
  frameId: 0,
  type: 'image',
  method: 'GET',
  hops: [{ url: `https://tracker.example/?_update_tokens=1&sub_id_2=${i}`, at: 1000 + i, recognition: null }],
  responseHeaders: [],
  startedAt: 1000 + i,
  ...(i % 3 === 0 ? { status: 200, endedAt: 1040 + i } : {}),
});

function sessionOf(n: number, tabId = 4): Session {
  return {
    ...createSession(tabId, 1000, 'https://lp.example/?subid=51ts6sgr1cbkdhljnrv'),
    title: 'Landing',
    requests: Array.from({ length: n }, (_, i) => pixel(i)),
  };
}

const storedKeys = async () => Object.keys(await fakeBrowser.storage.local.get(null));

describe('chunked session storage', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('writes a session as a header and chunks, and reads the same session back', async () => {
    const session = sessionOf(1234);
    const items = sessionItems(session, 1);
    expect(items.map((i) => i.key)).toEqual([
      sessionKey(session.id),
      ...[0, 1, 2, 3, 4].map((k) => requestsKey(session.id, k)),
    ]);
    // The header carries no requests, only their count.
    expect(items[0]?.value).toMatchObject({ requestCount: 1234, revision: 1 });
    expect(items[0]?.value).not.toHaveProperty('requests');
    expect(items.at(-1)?.value).toHaveLength(1234 - 4 * REQUESTS_PER_CHUNK);
    await storage.setItems(items);
    expect(await loadSession(session.id)).toEqual(session);
  });

  it('writes only the chunks it is given, besides the header', () => {
    const session = sessionOf(1234);
    expect(sessionItems(session, 7, [3, 0, 3]).map((i) => i.key)).toEqual([
      sessionKey(session.id),
      requestsKey(session.id, 0),
      requestsKey(session.id, 3),
    ]);
  });

  it('reads an empty session without chunks', async () => {
    const session = sessionOf(0);
    await storage.setItems(sessionItems(session, 1));
    expect(await loadSession(session.id)).toEqual(session);
  });

  it('reads null, never throws, when a chunk is missing, short or of the wrong shape', async () => {
    const session = sessionOf(600);
    const seed = () => storage.setItems(sessionItems(session, 1));
    await seed();
    await storage.removeItem(requestsKey(session.id, 1));
    expect(await loadSession(session.id)).toBeNull();

    await seed();
    await storage.setItem(requestsKey(session.id, 2), session.requests.slice(500, 599));
    expect(await loadSession(session.id)).toBeNull();

    await seed();
    await storage.setItem(requestsKey(session.id, 0), [{ id: 1, hops: 'nope' }]);
    expect(await loadSession(session.id)).toBeNull();

    await seed();
    await storage.setItem(requestsKey(session.id, 0), 'not a chunk');
    expect(await loadSession(session.id)).toBeNull();

    await seed();
    expect(await loadSession(session.id)).toEqual(session);
  });

  it('reads null for a missing header and for a whole session stored the old way', async () => {
    expect(await loadSession('nothing')).toBeNull();
    const session = sessionOf(3);
    await storage.setItem(sessionKey(session.id), session);
    expect(await loadSession(session.id)).toBeNull();
  });

  it('takes the header’s count from a tail chunk a later write already grew', async () => {
    const session = sessionOf(260);
    await storage.setItems(sessionItems(session, 1));
    // Requests only ever append: the tail a later write left is the header's tail plus more.
    await storage.setItem(requestsKey(session.id, 1), [...session.requests.slice(250), pixel(260)]);
    expect((await loadSession(session.id))?.requests).toEqual(session.requests);
  });

  it('removes a session with its chunks and preview, and leaves the others', async () => {
    const gone = sessionOf(700, 4);
    const kept = sessionOf(300, 5);
    await storage.setItems([...sessionItems(gone, 3), ...sessionItems(kept, 1)]);
    await storage.setItem(previewKey(gone.id), { any: 'preview' });
    await removeSessions([gone.id, 'never-stored']);
    const keys = await storedKeys();
    expect(keys.filter((k) => k.includes(gone.id))).toEqual([]);
    expect(keys.sort()).toEqual(
      [`session:${kept.id}`, `requests:${kept.id}:0`, `requests:${kept.id}:1`].sort(),
    );
  });
});
