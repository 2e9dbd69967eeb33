import { describe, expect, it } from 'vitest';
import {
  acceptedKeitaroMeaning,
  brokenSession,
  brokenTrails,
  healthySession,
  healthyTrails,
  KEY,
  SUBID,
  saleSession,
  storedNowhere,
  T0,
  TRANSACTION_ID,
} from '../../components/fixtures/sessions';
import { toReport } from './report';

describe('toReport', () => {
  it('tells the healthy funnel: trail, invisible server-side postback, what the browser could not see', () => {
    const text = toReport(healthySession, { trails: healthyTrails, diagnostics: [], now: T0 + 100_000 });
    expect(text).toContain('# Postback Lens report');
    expect(text).toContain(`\`${TRANSACTION_ID}\``);
    expect(text).toContain(`subid=\`${SUBID}\``);
    expect(text).toMatch(/4\. \*\*sent\*\*: invisible — /);
    expect(text).toContain('None: no postback or conversion pixel left the browser.');
    expect(text).toContain("if the landing's server sent it");
    expect(text).not.toContain('9k2v7b1q0m3n4p5r6s7t8u9v0w'); // PHPSESSID value
  });

  it('lists postbacks with params and answers, replays with meanings, redacting the key', () => {
    const text = toReport(saleSession, {
      trails: healthyTrails,
      diagnostics: [storedNowhere],
      meaningOf: () => acceptedKeitaroMeaning,
      limits: ['HTTP 200 is not proof of a conversion.'],
      now: T0,
    });
    expect(text).toContain('### keitaro postback — GET (fetch)');
    expect(text).toContain('/REDACTED/postback');
    expect(text).not.toContain(`/${KEY}/`);
    expect(text).toContain('- status: `status` = `sale`');
    expect(text).toContain('- money: `payout` = `25`');
    expect(text).toContain('Answer: HTTP 200, body `Success`');
    expect(text).toContain('Meaning: accepted — Keitaro queued the postback');
    expect(text).toContain('body `success=false; err_msg=Invalid Trans. ID #test1.;`');
    expect(text).toContain('Meaning: rejected');
    expect(text).toContain('**error** The click id arrived but the page stored it nowhere');
    expect(text).toContain('- HTTP 200 is not proof of a conversion.');
  });

  it('marks the broken stage of the stored-nowhere landing', () => {
    const text = toReport(brokenSession, { trails: brokenTrails, diagnostics: [], now: T0 });
    expect(text).toMatch(/2\. \*\*stored\*\*: missing ← first broken stage/);
    expect(text).toContain('session_start()');
  });

  it('keeps page data inert: backticks cannot close the code span', () => {
    const s = { ...healthySession, url: 'https://lp.example/?x=`](http://evil)`' };
    const text = toReport(s, { trails: [], diagnostics: [], now: T0 });
    expect(text).toContain('- page: `` https://lp.example/?x=`](http://evil)` ``');
  });

  it('says what the caps dropped', () => {
    const s = { ...healthySession, dropped: { requests: 12, observations: 0, replays: 1 } };
    expect(toReport(s, { trails: [], diagnostics: [], now: T0 })).toContain(
      'dropped by the caps: 12 requests, 0 storage findings, 1 replays',
    );
  });
});
