import { describe, expect, it } from 'vitest';
import { ResponseMeaningSchema } from '../recognize/schema';
import { readResponse } from './read-response';

function read(...args: Parameters<typeof readResponse>) {
  const m = readResponse(...args);
  expect(ResponseMeaningSchema.safeParse(m).success).toBe(true);
  expect(m.caveat.length).toBeGreaterThan(20);
  return m;
}

describe('Keitaro bodies [L1][K1][K2]', () => {
  it('Success means queued, not recorded', () => {
    const m = read('keitaro', 'Success', 200);
    expect(m.verdict).toBe('accepted');
    expect(m.message).toMatch(/queued/);
    expect(m.message).toMatch(/not checked the subid/);
    expect(m.caveat).toMatch(/Received postbacks/);
    expect(m.caveat).toMatch(/Admin API/);
    expect(m.caveat).toMatch(/200/);
  });

  it('Incorrect subid', () => {
    expect(read('keitaro', 'Incorrect subid\n').verdict).toBe('rejected');
  });

  it('Incorrect postback code (KEY in URL) gives the key and URL', () => {
    const m = read('keitaro', 'Incorrect postback code (abc in https://t.example/abc/postback?subid=1)');
    expect(m.verdict).toBe('rejected');
    expect(m.details).toMatchObject({ key: 'abc', url: 'https://t.example/abc/postback?subid=1' });
  });

  it('a return= echo is accepted (also HTML-escaped)', () => {
    const m = read('keitaro', 'OK', 200, { url: 'https://t.example/k1/postback?subid=1&return=OK' });
    expect(m.verdict).toBe('accepted');
    expect(m.details.return).toBe('OK');
    expect(
      read('keitaro', '&lt;b&gt;ok&lt;/b&gt;', 200, {
        url: 'https://t.example/k1/postback?subid=1&return=%3Cb%3Eok%3C%2Fb%3E',
      }).verdict,
    ).toBe('accepted');
    expect(
      read('keitaro', 'Incorrect subid', 200, { url: 'https://t.example/k1/postback?return=OK' }).verdict,
    ).toBe('rejected');
    expect(
      read('keitaro', 'Something else', 200, { url: 'https://t.example/k1/postback?return=OK' }).verdict,
    ).toBe('unknown');
  });

  it('return=jsonp: KTracking && KTracking.response("…") is unwrapped and read', () => {
    const ok = read('keitaro', 'KTracking && KTracking.response("Success")', 200, {
      url: 'https://t/k/postback?return=jsonp',
    });
    expect(ok.verdict).toBe('accepted');
    expect(ok.details.jsonp).toBe('Success');
    expect(read('keitaro', 'KTracking && KTracking.response("Incorrect subid");').verdict).toBe('rejected');
  });

  it('return=gif: the GIF asked for; a GIF out of the blue says nothing', () => {
    const gif = 'GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000';
    expect(read('keitaro', gif, 200, { url: 'https://t/k/postback?subid=1&return=gif' }).verdict).toBe(
      'accepted',
    );
    expect(read('keitaro', gif, 200).verdict).toBe('unknown');
  });

  it('HTTP errors, empty and HTML bodies', () => {
    expect(read('keitaro', 'Not Found', 404).verdict).toBe('rejected');
    expect(read('keitaro', '', 502).message).toMatch(/502/);
    expect(read('keitaro', '', 200).verdict).toBe('unknown');
    expect(read('keitaro', '<!DOCTYPE html><html><body>Landing</body></html>').message).toMatch(/HTML page/);
  });
});

describe('HasOffers bodies [T1]', () => {
  it('success=true; is accepted but not proof', () => {
    const m = read('hasoffers', 'success=true;');
    expect(m.verdict).toBe('accepted');
    expect(m.caveat).toMatch(/security_token/);
    expect(m.caveat).toMatch(/IP whitelist/);
    expect(m.caveat).toMatch(/Conversion report/);
  });

  it('success=false; err_msg=…; is parsed', () => {
    const m = read('hasoffers', 'success=false; err_msg=Invalid Trans. ID #1027c887059b47b.;');
    expect(m.verdict).toBe('rejected');
    expect(m.details.err_msg).toBe('Invalid Trans. ID #1027c887059b47b.');
    expect(m.message).toMatch(/does not know this transaction id/);
    // The seed's test-link answer.
    expect(read('hasoffers', 'success=false; err_msg=Invalid Trans. ID #test1.;').details.err_msg).toBe(
      'Invalid Trans. ID #test1.',
    );
  });

  it('Duplicate conversion', () => {
    expect(read('hasoffers', 'success=false; err_msg=Duplicate conversion;').message).toMatch(/duplicate/);
    expect(read('hasoffers', 'Duplicate conversion').verdict).toBe('rejected');
  });

  it('the API envelope: HTTP 200 with status -1 [G22]', () => {
    const m = read(
      'hasoffers',
      '{"response":{"status":-1,"httpStatus":200,"data":"","errors":[{"publicMessage":"Invalid NetworkToken"}]}}',
    );
    expect(m.verdict).toBe('rejected');
    expect(m.details.errors).toContain('Invalid NetworkToken');
    expect(read('hasoffers', '{"response":{"status":1,"data":{}}}').verdict).toBe('accepted');
  });
});

describe('other systems', () => {
  it('CAKE SUCCESS', () => {
    expect(read('cake', 'SUCCESS').verdict).toBe('accepted');
  });

  it('unknown bodies and unknown systems give verdict unknown with a caveat', () => {
    expect(read('voluum', 'whatever').verdict).toBe('unknown');
    expect(read('keitaro', 'Hello').verdict).toBe('unknown');
    const m = read('no-such-system', 'OK');
    expect(m.verdict).toBe('unknown');
    expect(m.caveat).toMatch(/200/);
  });
});
