import type { Entry } from 'har-format';
import { describe, expect, it } from 'vitest';
import {
  browserPostback,
  clickChain,
  healthySession,
  KEY,
  makeBigSession,
  SUBID,
  saleSession,
  T0,
} from '../../components/fixtures/sessions';
import type { Session } from '../session/schema';
import { toHar } from './har';

/** The fields Chrome DevTools' HAR importer reads, with their types (HAR 1.2 "required"). */
function assertValidEntry(e: Entry) {
  expect(typeof e.startedDateTime).toBe('string');
  expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
  expect(typeof e.time).toBe('number');
  expect(e.time).toBeGreaterThanOrEqual(0);
  const q = e.request;
  expect(typeof q.method).toBe('string');
  expect(() => new URL(q.url)).not.toThrow();
  expect(typeof q.httpVersion).toBe('string');
  expect(Array.isArray(q.headers)).toBe(true);
  expect(Array.isArray(q.queryString)).toBe(true);
  expect(Array.isArray(q.cookies)).toBe(true);
  expect(typeof q.headersSize).toBe('number');
  expect(typeof q.bodySize).toBe('number');
  if (q.postData) {
    expect(typeof q.postData.mimeType).toBe('string');
    expect(typeof q.postData.text).toBe('string');
  }
  const s = e.response;
  expect(Number.isInteger(s.status)).toBe(true);
  expect(typeof s.statusText).toBe('string');
  expect(typeof s.httpVersion).toBe('string');
  expect(Array.isArray(s.headers)).toBe(true);
  expect(Array.isArray(s.cookies)).toBe(true);
  expect(typeof s.content.size).toBe('number');
  expect(typeof s.content.mimeType).toBe('string');
  expect(typeof s.redirectURL).toBe('string');
  expect(typeof s.headersSize).toBe('number');
  expect(typeof s.bodySize).toBe('number');
  expect(e.cache).toBeTypeOf('object');
  for (const k of ['send', 'wait', 'receive'] as const) expect(typeof e.timings[k]).toBe('number');
}

function assertValidHar(session: Session) {
  const har = JSON.parse(JSON.stringify(toHar(session)));
  expect(har.log.version).toBe('1.2');
  expect(har.log.creator.name).toBe('Postback Lens');
  expect(typeof har.log.creator.version).toBe('string');
  expect(Array.isArray(har.log.pages)).toBe(true);
  const pageIds = new Set(har.log.pages.map((p: { id: string }) => p.id));
  for (const p of har.log.pages) {
    expect(typeof p.startedDateTime).toBe('string');
    expect(typeof p.title).toBe('string');
    expect(p.pageTimings).toBeTypeOf('object');
  }
  for (const e of har.log.entries) {
    assertValidEntry(e);
    if (e.pageref) expect(pageIds.has(e.pageref)).toBe(true);
  }
  return har;
}

describe('toHar', () => {
  it('is a valid HAR 1.2 log with one entry per hop', () => {
    const har = assertValidHar(healthySession);
    const hops = healthySession.requests.reduce((n, r) => n + r.hops.length, 0);
    expect(har.log.entries).toHaveLength(hops);
    expect(har.log.pages).toHaveLength(1);
  });

  it('shows the redirect chain as DevTools does: 302 entries pointing at the next hop', () => {
    const har = toHar({ ...healthySession, requests: [clickChain] });
    const [a, b, c] = har.log.entries;
    expect(a?.response.status).toBe(302);
    expect(a?.response.redirectURL).toBe(clickChain.hops[1]?.url);
    expect(a?.response.headers).toEqual([{ name: 'location', value: clickChain.hops[1]?.url }]);
    expect(b?.response.redirectURL).toBe(clickChain.hops[2]?.url);
    expect(c?.response.status).toBe(200);
    expect(c?.response.statusText).toBe('OK');
    expect(c?.response.redirectURL).toBe('');
    expect(c?.response.content.mimeType).toBe('text/html; charset=UTF-8');
    expect(a?.time).toBe(180);
    expect(c?.time).toBe(190);
    expect(a?.startedDateTime).toBe(new Date(T0).toISOString());
    expect(c?.request.queryString).toEqual([{ name: 'subid', value: SUBID }]);
    expect(a?._resourceType).toBe('document');
  });

  it('keeps a body the page read, and redacts the Keitaro key and session cookies by default', () => {
    const har = toHar(saleSession);
    const pb = har.log.entries.find((e) => e.request.url.includes('/postback'));
    expect(pb?.request.url).toContain('/REDACTED/postback');
    expect(pb?.request.url).not.toContain(KEY);
    expect(pb?.response.content.text).toBe('Success');
    expect(pb?._resourceType).toBe('fetch');
    const landing = har.log.entries.find((e) => e.request.url.includes('lp.example/?subid'));
    expect(JSON.stringify(landing?.response.headers)).not.toContain('9k2v7b1q0m3n4p5r6s7t8u9v0w');
    const raw = toHar(saleSession, { redact: false });
    expect(JSON.stringify(raw)).toContain(`/${KEY}/postback`);
  });

  it('a POST keeps its body across 307 but becomes a GET after 302', () => {
    const post = {
      ...browserPostback,
      method: 'POST',
      requestBody: { text: `subid=${SUBID}&status=lead`, source: 'webRequest' as const, truncated: false },
      hops: [
        { url: 'https://a.example/pb', status: 307, at: T0, recognition: null },
        { url: 'https://b.example/pb', status: 302, at: T0 + 10, recognition: null },
        { url: 'https://c.example/done', status: 200, at: T0 + 20, recognition: null },
      ],
    };
    const har = toHar({ ...healthySession, requests: [post] });
    const [a, b, c] = har.log.entries;
    expect(a?.request.postData).toEqual({
      mimeType: 'application/x-www-form-urlencoded',
      text: `subid=${SUBID}&status=lead`,
    });
    expect(a?.request.bodySize).toBe(`subid=${SUBID}&status=lead`.length);
    expect(b?.request.method).toBe('POST');
    expect(b?.request.postData).toBeDefined();
    expect(c?.request.method).toBe('GET');
    expect(c?.request.postData).toBeUndefined();
  });

  it('records a failed request with status 0 and its error', () => {
    const failed = {
      ...browserPostback,
      status: undefined,
      error: 'net::ERR_BLOCKED_BY_CLIENT',
      hops: [{ ...browserPostback.hops[0], status: undefined }],
    };
    const har = toHar({ ...healthySession, requests: [failed as typeof browserPostback] });
    expect(har.log.entries[0]?.response.status).toBe(0);
    expect((har.log.entries[0]?.response as { _error?: string } | undefined)?._error).toBe(
      'net::ERR_BLOCKED_BY_CLIENT',
    );
  });

  it('handles 10,000 requests', () => {
    const big = makeBigSession();
    const har = toHar(big);
    expect(har.log.entries.length).toBe(big.requests.reduce((n, r) => n + r.hops.length, 0));
    for (let i = 0; i < har.log.entries.length; i += 97) assertValidEntry(har.log.entries[i] as Entry);
  });
});
