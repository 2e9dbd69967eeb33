import { describe, expect, it } from 'vitest';
import { ExportSchema, exportSession } from '../export/json';
import { applyEvents, createSession } from './apply-events';
import { diagnoseSession } from './diagnose-session';
import type { SessionEvent } from './events';
import { modelDeps } from './model-deps';
import type { Session } from './schema';
import { buildTrails } from './trail';

const caps = { requestsPerTab: 1000, observationsPerTab: 1000, replaysPerSession: 10 };
const TID = '1027c887059b47bc69c699f45466b9';
const SUBID = '51ts6sgr1cbkdhljnrv';
const NET = 'https://demo.go2cloud.org';
const TRK = 'https://tracker.example';
const LP = 'https://lp.example';

let clock = 1000;
const tab = 1;
const t = () => ++clock;

/** The HasOffers test link → Keitaro campaign → landing chain, as webRequest reports it. */
function clickChain(landing: string, id = 'nav1'): SessionEvent[] {
  const click = `${NET}/aff_c?offer_id=1&aff_id=1&aff_sub=test`;
  const campaign = `${TRK}/php?external_id=${TID}&sub_id_1=test`;
  const common = { tabId: tab, frameId: 0, resourceType: 'main_frame', method: 'GET' };
  return [
    { type: 'request-start', ...common, at: t(), id, url: click },
    { type: 'request-redirect', ...common, at: t(), id, url: click, redirectUrl: campaign, status: 302 },
    { type: 'request-redirect', ...common, at: t(), id, url: campaign, redirectUrl: landing, status: 302 },
  ];
}

function session(events: SessionEvent[]): Session {
  return applyEvents(createSession(tab, 1), events, caps, modelDeps);
}

function stages(s: Session, value = SUBID) {
  const trail = buildTrails(s).find((x) => x.ids.some((i) => i.value === value));
  return Object.fromEntries((trail?.stages ?? []).map((st) => [st.stage, st]));
}

describe('trails', () => {
  it('links the network transaction id and the tracker subid of one click, kept in a PHP session, sent server-side', () => {
    const landing = `${LP}/index.php?subid=${SUBID}`;
    const s = session([
      ...clickChain(landing),
      {
        type: 'request-headers',
        tabId: tab,
        at: t(),
        id: 'nav1',
        status: 200,
        headers: [{ name: 'set-cookie', value: 'PHPSESSID=abc123; path=/' }],
      },
      { type: 'request-complete', tabId: tab, at: t(), id: 'nav1', status: 200 },
      { type: 'navigation', tabId: tab, at: t(), frameId: 0, url: landing, transition: 'link' },
      {
        type: 'navigation',
        tabId: tab,
        at: t(),
        frameId: 0,
        url: `${LP}/index.php`,
        transition: 'form_submit',
      },
    ]);
    const trails = buildTrails(s);
    expect(trails).toHaveLength(1);
    expect(trails[0]?.ids.map((i) => i.value)).toEqual(expect.arrayContaining([TID, SUBID]));
    expect(trails[0]?.ids.find((i) => i.value === TID)).toMatchObject({
      param: 'external_id',
      system: 'keitaro',
    });
    const st = stages(s);
    expect(st.arrived?.state).toBe('ok');
    expect(st.stored?.state).toBe('ok');
    expect(st.stored?.summary).toMatch(/PHPSESSID/);
    expect(st.sent?.state).toBe('invisible');
    expect(st.sent?.summary).toMatch(/not visible from the browser/i);
    expect(trails[0]?.firstBroken).toBe(-1);
  });

  it('says stored nowhere when the landing kept nothing', () => {
    const s = session([
      ...clickChain(`${LP}/broken.php?subid=${SUBID}`),
      { type: 'request-complete', tabId: tab, at: t(), id: 'nav1', status: 200 },
    ]);
    const st = stages(s);
    expect(st.stored?.state).toBe('missing');
    expect(diagnoseSession(s).map((d) => d.code)).toContain('stored-nowhere');
    expect(buildTrails(s)[0]?.firstBroken).toBe(1);
  });

  it('follows a browser postback to its answer, and reads a failure body as a problem', () => {
    const ok = session([
      ...clickChain(`${LP}/fetch.html?subid=${SUBID}`),
      {
        type: 'observations',
        tabId: tab,
        at: t(),
        frameId: 0,
        observations: [
          { place: 'localStorage', name: 'subid', value: SUBID, raw: SUBID, where: 'lp.example', at: clock },
        ],
      },
      {
        type: 'request-start',
        tabId: tab,
        at: t(),
        id: 'pb',
        frameId: 0,
        resourceType: 'xmlhttprequest',
        method: 'GET',
        url: `${TRK}/e89bcbe/postback?subid=${SUBID}&status=lead`,
      },
      { type: 'request-complete', tabId: tab, at: t(), id: 'pb', status: 200 },
      {
        type: 'page-request',
        tabId: tab,
        at: t(),
        via: 'fetch',
        url: `${TRK}/e89bcbe/postback?subid=${SUBID}&status=lead`,
        method: 'GET',
        response: { status: 200, body: 'Success' },
      },
    ]);
    expect(stages(ok).sent?.state).toBe('ok');
    expect(stages(ok).answered?.state).toBe('ok');
    expect(stages(ok).answered?.summary).toContain('"Success"');

    const bad = session([
      ...clickChain(`${LP}/fetch.html?subid=${SUBID}`, 'nav2'),
      {
        type: 'request-start',
        tabId: tab,
        at: t(),
        id: 'pb2',
        frameId: 0,
        resourceType: 'xmlhttprequest',
        method: 'GET',
        url: `${NET}/aff_lsr?offer_id=1&transaction_id=${TID}`,
      },
      {
        type: 'page-request',
        tabId: tab,
        at: t(),
        via: 'fetch',
        url: `${NET}/aff_lsr?offer_id=1&transaction_id=${TID}`,
        method: 'GET',
        response: { status: 200, body: `success=false; err_msg=Invalid Trans. ID #${TID}.;` },
      },
    ]);
    expect(stages(bad).answered?.state).toBe('problem');
    expect(diagnoseSession(bad).map((d) => d.code)).toContain('failure-body');
  });

  it('flags a postback whose subid differs from the one the landing received', () => {
    const s = session([
      ...clickChain(`${LP}/pixel.html?subid=${SUBID}`),
      {
        type: 'request-start',
        tabId: tab,
        at: t(),
        id: 'pb',
        frameId: 0,
        resourceType: 'image',
        method: 'GET',
        url: `${TRK}/e89bcbe/postback?subid=zzzzzzzzzzzzz1&status=lead`,
      },
    ]);
    expect(stages(s).sent?.state).toBe('problem');
    expect(diagnoseSession(s).map((d) => d.code)).toContain('postback-subid-differs');
  });

  it('flags an unreplaced macro on the landing and takes it for no id', () => {
    const s = session(clickChain(`${LP}/macro.html?subid=%7Bsubid%7D`));
    const codes = diagnoseSession(s).map((d) => d.code);
    expect(codes).toContain('unreplaced-macro');
    for (const trail of buildTrails(s))
      expect(trail.ids.filter((i) => i.value.includes('subid') && !i.macro)).toEqual([]);
  });

  it('exports a valid, redacted document', () => {
    const s = session([
      ...clickChain(`${LP}/pixel.html?subid=${SUBID}`),
      {
        type: 'request-start',
        tabId: tab,
        at: t(),
        id: 'pb',
        frameId: 0,
        resourceType: 'image',
        method: 'GET',
        url: `${TRK}/e89bcbe/postback?subid=${SUBID}&status=lead`,
      },
      {
        type: 'request-headers',
        tabId: tab,
        at: t(),
        id: 'nav1',
        status: 200,
        headers: [{ name: 'set-cookie', value: 'PHPSESSID=topsecret; path=/' }],
      },
      {
        type: 'request-start',
        tabId: tab,
        at: t(),
        id: 'lsr',
        frameId: 0,
        resourceType: 'image',
        method: 'GET',
        url: `${NET}/aff_lsr?transaction_id=${TID}&security_token=abcd1234`,
      },
    ]);
    const ex = exportSession(s, 0);
    expect(ExportSchema.safeParse(ex).success).toBe(true);
    const text = JSON.stringify(ex);
    expect(text).not.toContain('e89bcbe');
    expect(text).not.toContain('topsecret');
    expect(text).not.toContain('abcd1234');
    expect(text).toContain('/REDACTED/postback');
    expect(text).toContain(SUBID);
  });
});

describe('trails: a landing that sends the postback itself', () => {
  it('does not ask for storage when the postback left from the landing page', () => {
    const landing = `${LP}/pixel.html?subid=${SUBID}`;
    const s = session([
      ...clickChain(landing),
      { type: 'navigation', tabId: tab, at: t(), frameId: 0, url: landing, transition: 'link' },
      {
        type: 'request-start',
        tabId: tab,
        at: t(),
        id: 'pb',
        frameId: 0,
        resourceType: 'image',
        method: 'GET',
        url: `${TRK}/e89bcbe/postback?subid=${SUBID}&status=lead`,
      },
    ]);
    expect(stages(s).stored?.state).toBe('pending');
    expect(diagnoseSession(s).map((d) => d.code)).not.toContain('stored-nowhere');
  });
});
