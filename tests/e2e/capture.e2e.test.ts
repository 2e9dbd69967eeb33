import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionExport } from '../../utils/export/json';
import { SIGNAL_PREFIX } from '../../utils/page/channel';
import type { CapturedRequest, Trail } from '../../utils/session/schema';
import { exportTab, type Harness, launch, stopServiceWorker, tabIdOf, testLink, waitFor } from './harness';

/** Offers of the lab's network, each pointing at one tracker campaign (lab/config.mjs). */
const OFFER = {
  php: 1,
  phpBroken: 2,
  pixel: 3,
  iframe: 4,
  fetch: 5,
  beacon: 6,
  form: 7,
  cookie: 8,
  localStorage: 9,
  hidden: 10,
  macro: 11,
  wrongKey: 12,
  deadTracker: 13,
  xhr: 14,
} as const;

let h: Harness;
beforeAll(async () => {
  h = await launch();
});
afterAll(async () => {
  await h?.close();
});

declare const chrome: {
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
  tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>> };
};

function subidOf(page: Page): string {
  const subid = new URL(page.url()).searchParams.get('subid');
  if (!subid) throw new Error(`no subid in ${page.url()}`);
  return subid;
}

function trailOf(ex: SessionExport, value: string): Trail | undefined {
  return ex.trails.find((t) => t.ids.some((i) => i.value === value));
}

function stageOf(trail: Trail | undefined, name: string) {
  return trail?.stages.find((s) => s.stage === name);
}

function postbacksFor(ex: SessionExport, subid: string): CapturedRequest[] {
  return ex.session.requests.filter((r) =>
    r.hops.some((hop) => hop.recognition?.kind === 'postback' && hop.recognition.clickId?.value === subid),
  );
}

/** The transaction id the lab's network created for the click that led to this subid. */
function transactionIdFor(subid: string): string {
  const click = h.lab.state.tracker.clicks.find((c: { subid: string }) => c.subid === subid);
  if (!click?.externalId) throw new Error(`the lab tracker has no click ${subid} with an external_id`);
  return click.externalId;
}

async function land(offerId: number): Promise<{ page: Page; subid: string; tabId: number }> {
  const page = await h.context.newPage();
  await page.goto(testLink(h, offerId));
  const subid = subidOf(page);
  return { page, subid, tabId: await tabIdOf(h, page) };
}

describe('capture against the demo lab', () => {
  it('follows the HasOffers test link through Keitaro to the PHP landing as one trail, stored in the PHP session, sent server-side', async () => {
    const { page, subid, tabId } = await land(OFFER.php);
    const transactionId = transactionIdFor(subid);
    await page.click('#signup');
    await page.waitForLoadState('load');
    await expect.poll(() => page.textContent('h1')).toContain('Thank you');

    const ex = await waitFor('the server-side postback stage', async () => {
      const e = await exportTab(h, tabId);
      return stageOf(trailOf(e, subid), 'sent')?.state === 'invisible' && e;
    });
    const trail = trailOf(ex, subid);
    // One story: the network's transaction id and the tracker's subid, linked through the redirect chain.
    expect(trail?.ids.map((i) => i.value)).toEqual(expect.arrayContaining([subid, transactionId]));
    expect(ex.trails.filter((t) => t.ids.some((i) => i.value === transactionId))).toHaveLength(1);
    const chain = ex.session.requests.find(
      (r) => r.type === 'main_frame' && r.hops[0]?.url.includes('/aff_c?'),
    );
    expect(chain?.hops.map((hop) => new URL(hop.url).hostname)).toEqual([
      'demo.go2cloud.org',
      'tracker.example',
      'php.landing.example',
    ]);
    expect(stageOf(trail, 'arrived')?.state).toBe('ok');
    const stored = stageOf(trail, 'stored');
    expect(stored?.state).toBe('ok');
    expect(stored?.observations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ place: 'session-cookie', name: 'PHPSESSID', value: subid }),
      ]),
    );
    expect(stageOf(trail, 'sent')?.summary).toMatch(/not visible from the browser/i);
    // The lab's tracker did receive it, server to server: the browser saw none of it.
    expect(postbacksFor(ex, subid)).toHaveLength(0);
    await waitFor('the tracker to log the server-side postback', async () =>
      h.lab.state.tracker.postbacks.some((p: { subid?: string }) => p.subid === subid),
    );
    await page.close();
  });

  it('shows the postback and the tracker answer when the landing fires it from the browser', async () => {
    const { page, subid, tabId } = await land(OFFER.fetch);
    const transactionId = transactionIdFor(subid);
    await page.click('#signup');
    await expect.poll(() => page.textContent('#answer')).toBe('Success');
    const ex = await waitFor('the answered stage', async () => {
      const e = await exportTab(h, tabId);
      return stageOf(trailOf(e, subid), 'answered')?.state === 'ok' && e;
    });
    const trail = trailOf(ex, subid);
    expect(trail?.ids.map((i) => i.value)).toEqual(expect.arrayContaining([subid, transactionId]));
    expect(stageOf(trail, 'sent')?.state).toBe('ok');
    expect(stageOf(trail, 'answered')?.summary).toContain('"Success"');
    const [postback] = postbacksFor(ex, subid);
    expect(postback?.via).toBe('fetch');
    expect(postback?.responseBody?.text).toBe('Success');
    expect(postback?.status).toBe(200);
    await page.close();
  });

  it('reads the answer of a postback sent from a page without a click id (the thank-you page)', async () => {
    // The page hook's report of the fetch is pulled only once the page sends a tracker request, and
    // its answer comes later as a signal cookie: this page has no click id in its URL, so nothing
    // else would bring it.
    const { page, subid, tabId } = await land(OFFER.localStorage);
    await page.goto(`${h.lab.urls.landing}/receipt.html`);
    await expect.poll(() => page.textContent('#answer')).toBe('Success');
    const ex = await waitFor('the fetch answer', async () => {
      const e = await exportTab(h, tabId);
      return postbacksFor(e, subid).some((r) => r.responseBody?.text === 'Success') && e;
    });
    const postbacks = postbacksFor(ex, subid);
    expect(postbacks).toHaveLength(1);
    expect(postbacks[0]?.via).toBe('fetch');
    expect(stageOf(trailOf(ex, subid), 'answered')?.summary).toContain('"Success"');
    await page.close();
  });

  it('says "stored nowhere" for the seed snippet that never starts the session, even with a session cookie left from before', async () => {
    // A PHPSESSID from an earlier visit is in the jar and goes with the request: it was not set as
    // this subid arrived, so it is no evidence that the server kept it.
    await h.context.addCookies([
      { name: 'PHPSESSID', value: 'earliervisit', url: h.lab.urls.php ?? h.lab.urls.landing },
    ]);
    const { page, subid, tabId } = await land(OFFER.phpBroken);
    expect((await h.context.cookies(page.url())).map((c) => c.name)).toContain('PHPSESSID');
    // Let the content script scan and the background check the cookie jar before judging.
    await page.waitForLoadState('load');
    await waitFor('the page scan', async () => {
      const e = await exportTab(h, tabId);
      return e.session.pages.length > 0 && e;
    });
    await page.waitForTimeout(2000);
    const ex = await exportTab(h, tabId);
    const trail = trailOf(ex, subid);
    const stored = stageOf(trail, 'stored');
    expect(stored?.state).toBe('missing');
    expect(stored?.diagnostics.map((d) => d.code)).toContain('stored-nowhere');
    expect(ex.diagnostics.map((d) => d.code)).toContain('stored-nowhere');
    expect(trail?.firstBroken).toBe(1);
    expect(ex.session.observations.filter((o) => o.value === subid && o.place !== 'link')).toHaveLength(0);
    await page.close();
  });

  it('finds the subid where the landing stored it: a script cookie (from the cookie jar, with its lifetime), localStorage, a hidden input and the offer link', async () => {
    const cases = [
      [OFFER.cookie, 'cookie'],
      [OFFER.localStorage, 'localStorage'],
      [OFFER.hidden, 'hidden-input'],
    ] as const;
    for (const [offer, place] of cases) {
      const { page, subid, tabId } = await land(offer);
      const ex = await waitFor(`the ${place} observation`, async () => {
        const e = await exportTab(h, tabId);
        return e.session.observations.some((o) => o.place === place && o.value === subid) && e;
      });
      const stored = stageOf(trailOf(ex, subid), 'stored');
      expect(stored?.state).toBe('ok');
      if (place === 'cookie') {
        const cookie = ex.session.observations.find((o) => o.place === 'cookie' && o.value === subid);
        expect(cookie?.where).toContain('landing.example');
        expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000);
      }
      if (place === 'hidden-input') {
        expect(stageOf(trailOf(ex, subid), 'carried')?.state).toBe('ok');
      }
      await page.close();
    }
  });

  it('reads a hidden input the landing fills in its own load handler, without a click or the panel', async () => {
    const subid = 'onload0123456789abcd';
    const page = await h.context.newPage();
    await page.goto(`${h.lab.urls.landing}/hidden.html?subid=${subid}&onload=1`);
    expect(await page.inputValue('#hidden-subid')).toBe(subid);
    const tabId = await tabIdOf(h, page);
    const ex = await waitFor('the hidden-input observation', async () => {
      const e = await exportTab(h, tabId);
      return e.session.observations.some((o) => o.place === 'hidden-input' && o.value === subid) && e;
    });
    expect(stageOf(trailOf(ex, subid), 'stored')?.state).toBe('ok');
    await page.close();
  });

  it('reads the cookie jar of a landing that dropped its click ids from its URL before it loaded', async () => {
    const subid = 'tidy0123456789abcdef';
    const page = await h.context.newPage();
    await page.goto(`${h.lab.urls.landing}/cookie.html?subid=${subid}&tidy=1`);
    // The browser reports the loaded page under the URL it shows now, without the subid.
    expect(page.url()).not.toContain(subid);
    const tabId = await tabIdOf(h, page);
    const ex = await waitFor('the cookie observation', async () => {
      const e = await exportTab(h, tabId);
      return e.session.observations.some((o) => o.place === 'cookie' && o.value === subid) && e;
    });
    expect(stageOf(trailOf(ex, subid), 'stored')?.state).toBe('ok');
    await page.close();
  });

  it('takes what a landing stored as the tab left it (sessionStorage on the way to the offer)', async () => {
    const subid = 'leave0123456789abcde';
    const page = await h.context.newPage();
    // With a fragment and a non-ASCII parameter: the page and the background key the same URL.
    await page.goto(
      `${h.lab.urls.landing}/leave.html?subid=${subid}&utm_term=%D0%BA%D1%83%D0%BF%D0%B8%D1%82%D1%8C#offer`,
    );
    const tabId = await tabIdOf(h, page);
    const places = async () =>
      (await exportTab(h, tabId)).session.observations.filter((o) => o.value === subid).map((o) => o.place);
    // Loaded and scanned: nothing stored yet (the URL is where the id arrived, not where it is kept).
    await page.waitForTimeout(300);
    expect(await places()).toEqual([]);
    await Promise.all([page.waitForURL(/offer\.html/), page.click('#go')]);
    expect(
      await waitFor('the sessionStorage observation', async () => {
        const p = await places();
        return p.length > 0 && p;
      }),
    ).toEqual(['sessionStorage']);
    // It came as a signal cookie (utils/page/channel.ts), which the background took out of the jar.
    const signals = (await h.context.cookies()).filter((c) => c.name.startsWith(SIGNAL_PREFIX));
    expect(signals).toEqual([]);
    await page.close();
  });

  it('takes what a landing stored as the visitor left before it had finished loading', async () => {
    const subid = 'quick0123456789abcde';
    const page = await h.context.newPage();
    // A hero image holds the load event back for 8 s; the visitor clicks on long before.
    await page.goto(`${h.lab.urls.landing}/leave.html?subid=${subid}&slow=8000`, {
      waitUntil: 'domcontentloaded',
    });
    const tabId = await tabIdOf(h, page);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
    await Promise.all([page.waitForURL(/offer\.html/), page.click('#go')]);
    const places = await waitFor('the sessionStorage observation', async () => {
      const ex = await exportTab(h, tabId);
      const p = ex.session.observations.filter((o) => o.value === subid).map((o) => o.place);
      return p.length > 0 && p;
    });
    expect(places).toEqual(['sessionStorage']);
    await page.close();
  });

  it('keeps a landing open in two tabs apart (a duplicated tab): what each stores goes to its own tab', async () => {
    const subid = 'twin0123456789abcdef';
    const url = `${h.lab.urls.landing}/leave.html?subid=${subid}`;
    const first = await h.context.newPage();
    await first.goto(url);
    const firstTab = await tabIdOf(h, first);
    const second = await h.context.newPage();
    await second.goto(url);
    const secondTab = await h.ext.evaluate(
      async ([u, other]) =>
        (await chrome.tabs.query({})).find((t) => t.url === u && t.id !== other)?.id ?? -1,
      [url, firstTab] as const,
    );
    expect(secondTab).toBeGreaterThan(0);
    // The second tab's commit took the URL's key; the first tab's page was given a new one.
    await first.waitForTimeout(300);
    await Promise.all([first.waitForURL(/offer\.html/), first.click('#go')]);
    const places = async (tabId: number) =>
      (await exportTab(h, tabId)).session.observations.filter((o) => o.value === subid).map((o) => o.place);
    expect(
      await waitFor("the first tab's sessionStorage observation", async () => {
        const p = await places(firstTab);
        return p.length > 0 && p;
      }),
    ).toEqual(['sessionStorage']);
    expect(await places(secondTab)).toEqual([]);
    await first.close();
    await second.close();
  });

  for (const [store, place] of [
    ['local', 'localStorage'],
    ['cookie', 'cookie'],
  ] as const) {
    it(`takes what a prelander stored (${place}) as it moved on before its DOM was ready`, async () => {
      const subid = `pre${store}0123456789abcde`;
      const page = await h.context.newPage();
      // The prelander replaces itself with the offer page before its DOMContentLoaded: no pull reaches it.
      await page.goto(`${h.lab.urls.landing}/prelander.html?subid=${subid}&store=${store}`, {
        waitUntil: 'commit',
      });
      await page.waitForURL(/offer\.html/);
      const tabId = await tabIdOf(h, page);
      const found = await waitFor(`the ${place} observation`, async () => {
        const ex = await exportTab(h, tabId);
        const o = ex.session.observations.filter((o) => o.value === subid);
        return o.length > 0 && o;
      });
      expect(found.map((o) => [o.place, o.name])).toEqual([[place, 'kt_subid']]);
      const prelander = found[0]?.where ?? '';
      expect(prelander).toContain('landing.example');
      // It left as a signal cookie under its URL's key, which the background took out of the jar.
      const signals = (await h.context.cookies()).filter((c) => c.name.startsWith(SIGNAL_PREFIX));
      expect(signals).toEqual([]);
      await page.close();
    });
  }

  for (const [style, offer] of [
    ['pixel', OFFER.pixel],
    ['iframe', OFFER.iframe],
    ['fetch', OFFER.fetch],
    ['beacon', OFFER.beacon],
    ['xhr', OFFER.xhr],
    ['form', OFFER.form],
  ] as const) {
    it(`captures a ${style} postback exactly once, with its params`, async () => {
      const { page, subid, tabId } = await land(offer);
      await page.click('#signup');
      await waitFor('the lab tracker to receive the postback', async () =>
        h.lab.state.tracker.postbacks.some((p: { subid?: string }) => p.subid === subid),
      );
      const ex = await waitFor('the captured postback', async () => {
        const e = await exportTab(h, tabId);
        return postbacksFor(e, subid).length > 0 && e;
      });
      await page.waitForTimeout(500);
      const again = await exportTab(h, tabId);
      const postbacks = postbacksFor(again, subid);
      expect(postbacks).toHaveLength(1);
      const [pb] = postbacks;
      const rec = pb?.hops.find((hop) => hop.recognition?.kind === 'postback')?.recognition;
      expect(rec?.system).toBe('keitaro');
      expect(rec?.fields.status).toBe('lead');
      if (style === 'beacon') {
        expect(pb?.method).toBe('POST');
        expect(pb?.via).toBe('beacon');
        expect(pb?.requestBody?.text).toContain(`subid=${subid}`);
      }
      if (style === 'xhr') {
        // The page hook's report, matched to the webRequest record: one request, with body and answer.
        await expect.poll(() => page.textContent('#answer')).toBe('Success');
        const answered = await waitFor('the XHR answer', async () => {
          const e = await exportTab(h, tabId);
          return postbacksFor(e, subid)[0]?.responseBody && e;
        });
        const [xhr, ...more] = postbacksFor(answered, subid);
        expect(more).toEqual([]);
        expect(xhr?.method).toBe('POST');
        expect(xhr?.via).toBe('xhr');
        // As sent: webRequest alone would give Chromium's formData, sorted by name.
        expect(xhr?.requestBody?.text).toBe(`subid=${subid}&status=lead`);
        expect(xhr?.responseBody?.text).toBe('Success');
        expect(stageOf(trailOf(answered, subid), 'answered')?.state).toBe('ok');
      }
      if (style === 'form') {
        expect(pb?.method).toBe('POST');
        expect(pb?.requestBody?.text).toContain('status=lead');
      }
      if (style === 'iframe') expect(pb?.type).toBe('sub_frame');
      if (style === 'pixel') expect(pb?.type).toBe('image');
      expect(ex.trails.length).toBeGreaterThan(0);
      await page.close();
    });
  }

  it('says the tracker refused a postback it answered with HTTP 200 (a wrong key), on the badge too', async () => {
    const { page, subid, tabId } = await land(OFFER.wrongKey);
    await page.click('#signup');
    await page.waitForFunction(() => document.getElementById('answer')?.textContent !== '');
    const ex = await waitFor('the refused postback with its answer', async () => {
      const e = await exportTab(h, tabId);
      return postbacksFor(e, subid).some((r) => r.responseBody) && e;
    });
    const [pb] = postbacksFor(ex, subid);
    const answered = stageOf(trailOf(ex, subid), 'answered');
    expect(answered?.state).toBe('problem');
    expect(answered?.diagnostics.map((d) => d.code)).toEqual(['failure-body']);
    expect(pb?.status).toBe(200);
    expect(pb?.via).toBe('fetch');
    expect(pb?.responseBody?.text).toContain('Incorrect postback code (e89bcbf');
    const refused = ex.diagnostics.find((d) => d.code === 'failure-body');
    expect(refused?.severity).toBe('error');
    expect(refused?.evidence).toContain('Incorrect postback code');
    await h.lab.settled(); // the tracker's queue has run: a right key would have converted by now
    const logged = h.lab.state.tracker.postbacks.find((p: { url: string }) => p.url.includes(subid));
    expect(logged?.result).toBe('bad-key');
    expect(h.lab.state.tracker.conversions.some((c: { subid: string }) => c.subid === subid)).toBe(false);
    const badge = await h.ext.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    expect(badge).toBe('!');
    await page.close();
  });

  it('records a postback that never reached a server (the tracker domain does not resolve), with the error and a fix', async () => {
    const { page, subid, tabId } = await land(OFFER.deadTracker);
    await page.click('#signup');
    const ex = await waitFor('the failed postback', async () => {
      const e = await exportTab(h, tabId);
      return postbacksFor(e, subid).some((r) => r.error) && e;
    });
    const [pb] = postbacksFor(ex, subid);
    const answered = stageOf(trailOf(ex, subid), 'answered');
    expect(stageOf(trailOf(ex, subid), 'sent')?.state).toBe('ok'); // it left the page
    expect(answered?.state).toBe('problem');
    expect(answered?.diagnostics.map((d) => d.code)).toEqual(['request-failed']);
    expect(pb?.hops[0]?.url).toContain('//tracker.invalid:');
    expect(pb?.error).toContain('ERR_NAME_NOT_RESOLVED');
    expect(pb?.status).toBeUndefined();
    const failed = ex.diagnostics.find((d) => d.code === 'request-failed');
    expect(failed?.severity).toBe('error');
    expect(failed?.message).toContain('ERR_NAME_NOT_RESOLVED');
    expect(failed?.fix).toMatch(/domain resolves/);
    expect(h.lab.state.tracker.postbacks.some((p: { subid?: string }) => p.subid === subid)).toBe(false);
    await page.close();
  });

  it('flags an unreplaced {subid} macro and never takes it as a click id', async () => {
    const page = await h.context.newPage();
    await page.goto(testLink(h, OFFER.macro));
    expect(page.url()).toContain('subid=%7Bsubid%7D');
    const tabId = await tabIdOf(h, page);
    const ex = await waitFor('the macro diagnostic', async () => {
      const e = await exportTab(h, tabId);
      return e.diagnostics.some((d) => d.code === 'unreplaced-macro') && e;
    });
    const landing = ex.session.requests.find((r) => r.type === 'main_frame');
    const rec = landing?.hops.find((hop) => hop.url.includes('macro.html'))?.recognition;
    expect(rec?.macros.length).toBeGreaterThan(0);
    expect(rec?.clickId?.value === '{subid}' && !rec?.clickId?.macro).toBe(false);
    await page.close();
  });

  it('loses nothing when the service worker is stopped mid-session', async () => {
    const { page, subid, tabId } = await land(OFFER.pixel);
    await waitFor(
      'the landing to be recorded',
      async () => (await exportTab(h, tabId)).session.requests.length > 0,
    );
    const before = await exportTab(h, tabId);

    await stopServiceWorker(h);

    // The next tracker request wakes the worker; what was stored before is still there.
    await page.click('#signup');
    await waitFor('the lab tracker to receive the postback', async () =>
      h.lab.state.tracker.postbacks.some((p: { subid?: string }) => p.subid === subid),
    );
    const after = await waitFor('the postback after the restart', async () => {
      const e = await exportTab(h, tabId);
      return postbacksFor(e, subid).length === 1 && e;
    });
    for (const r of before.session.requests) expect(after.session.requests.map((x) => x.id)).toContain(r.id);
    expect(after.session.id).toBe(before.session.id);
    // The woken worker rebuilt the tab's badge from storage.
    const badge = await h.ext.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    expect(['ID', 'PB', '!']).toContain(badge);
    await page.close();
  });

  it('records a burst of 1,000 tracker requests from one page, or counts what it dropped', async () => {
    const page = await h.context.newPage();
    const subid = 'burst1000abcdefghij';
    // Not `load`: the page loads when its 1,000 images have, which on a busy machine outlasts goto's timeout.
    await page.goto(`${h.lab.urls.landing}/burst.html?subid=${subid}&n=1000`, {
      waitUntil: 'domcontentloaded',
    });
    await expect.poll(() => page.textContent('#status'), { timeout: 90_000 }).toBe('done 1000');
    const tabId = await tabIdOf(h, page);
    const count = (e: SessionExport) =>
      e.session.requests.filter((r) => r.hops.some((hop) => hop.recognition?.kind === 'update-tokens'))
        .length;
    const ex = await waitFor(
      'all 1,000 requests to be stored',
      async () => {
        const e = await exportTab(h, tabId);
        return count(e) + e.session.dropped.requests >= 1000 && e;
      },
      30_000,
    );
    expect(count(ex) + ex.session.dropped.requests).toBe(1000);
    expect(ex.session.requests.filter((r) => r.endedAt === undefined && !r.error).length).toBeLessThan(5);
    await page.close();
  }, 150_000);
});
