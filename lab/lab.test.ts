// Proof that the demo lab behaves as the reference documents. Requests go to 127.0.0.1 with the
// Host header set (fetch would not let us override it), exactly as a browser with
// `--host-resolver-rules="MAP * 127.0.0.1"` would send them.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from './index.mjs';

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };
type Lab = Awaited<ReturnType<typeof startLab>>;

function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Res> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: Number(u.port || 80),
        method: opts.method ?? 'GET',
        path: u.pathname + u.search,
        headers: { Host: u.host, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

function cookiePair(res: Res, name: string): string | undefined {
  const line = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0];
}

let havePhp = true;
try {
  execFileSync('php', ['-v'], { stdio: 'ignore' });
} catch {
  havePhp = false;
}

let lab: Lab;
let KEY: string;

beforeAll(async () => {
  lab = await startLab({ quiet: true });
  KEY = lab.postbackKey;
});
afterAll(async () => {
  await lab?.close();
});

/** Click the network test link of a campaign and follow the redirects to the landing. */
async function funnel(alias: string, affSub = 'test') {
  const offer = lab.offers.find((o) => o.campaign === alias);
  if (!offer) throw new Error(`no offer for campaign ${alias}`);
  const aff = await request(`${lab.urls.network}/aff_c?offer_id=${offer.id}&aff_id=7&aff_sub=${affSub}`);
  const offerUrl = aff.headers.location ?? '';
  const tid = new URL(offerUrl).searchParams.get('external_id') ?? '';
  const camp = await request(offerUrl);
  const landingUrl = camp.headers.location ?? '';
  const subid = new URL(landingUrl).searchParams.get('subid') ?? '';
  return { aff, camp, offerUrl, landingUrl, tid, subid };
}

const postback = (query: string, opts?: Parameters<typeof request>[1]) =>
  request(`${lab.urls.tracker}/${KEY}/postback${query}`, opts);

const pbByUrlPart = (part: string) =>
  lab.state.tracker.postbacks.filter((p: { url: string }) => p.url.includes(part)).at(-1);

describe('click funnel', () => {
  it('aff_c → tracker campaign → landing, with ids replaced', async () => {
    const f = await funnel('pixel', 'my sub');
    expect(f.aff.status).toBe(302);
    expect(f.offerUrl).toMatch(
      new RegExp(`^http://tracker\\.example:${lab.port}/pixel\\?external_id=[0-9a-f]{30}&sub_id_1=my%20sub$`),
    );
    expect(cookiePair(f.aff, 'ho_tid_3')).toBe(`ho_tid_3=${f.tid}`);
    expect(f.camp.status).toBe(302);
    expect(f.landingUrl).toMatch(
      new RegExp(`^http://landing\\.example:${lab.port}/pixel\\.html\\?subid=[0-9a-z]{19}$`),
    );
    const sub = (f.camp.headers['set-cookie'] ?? [])[0] ?? '';
    expect(sub).toContain(`_subid=${f.subid}`);
    expect(sub).toContain('Max-Age=2678400');

    const click = lab.state.tracker.clicks.find((c: { subid: string }) => c.subid === f.subid);
    expect(click).toMatchObject({
      campaign: 'pixel',
      external_id: f.tid,
      externalId: f.tid,
      subIds: { sub_id_1: 'my sub' },
    });
    const nclick = lab.state.network.clicks.find(
      (c: { transaction_id: string }) => c.transaction_id === f.tid,
    );
    expect(nclick).toMatchObject({ offer_id: 3, aff_id: '7' });

    const landing = await request(f.landingUrl);
    expect(landing.status).toBe(200);
    expect(landing.headers['content-type']).toContain('text/html');
  });

  it('unknown offer → 404 page; missing aff_id → 404 page', async () => {
    const r = await request(`${lab.urls.network}/aff_c?offer_id=999&aff_id=1`);
    expect(r.status).toBe(404);
    expect(r.body).toContain('Offer not found');
    const r2 = await request(`${lab.urls.network}/aff_c?offer_id=1`);
    expect(r2.status).toBe(404);
  });

  it('the macro campaign redirects with an unreplaced {subid}', async () => {
    const r = await request(`${lab.urls.tracker}/macro`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`http://landing.example:${lab.port}/macro.html?subid=%7Bsubid%7D`);
    expect(new URL(r.headers.location ?? '').searchParams.get('subid')).toBe('{subid}');
  });

  it('the hidden campaign passes _token, and _lp=1 leads to the offer', async () => {
    const r = await request(`${lab.urls.tracker}/hidden`);
    const loc = new URL(r.headers.location ?? '');
    const token = loc.searchParams.get('_token') ?? '';
    const subid = loc.searchParams.get('subid') ?? '';
    expect(token).toMatch(/^[0-9a-z]{32}$/);
    const lp = await request(`${lab.urls.tracker}/?_lp=1&_token=${token}&offer_id=2`);
    expect(lp.status).toBe(302);
    expect(lp.headers.location).toBe(
      `http://landing.example:${lab.port}/offer.html?offer_id=2&subid=${subid}`,
    );
    const bad = await request(`${lab.urls.tracker}/?_lp=1&_token=nope&offer_id=1`);
    expect(bad.status).toBe(404);
  });

  it('_update_tokens updates the click sub ids', async () => {
    const { subid } = await funnel('fetch');
    const r = await request(`${lab.urls.tracker}/?_update_tokens=1&sub_id=${subid}&sub_id_2=42&sub_id_5=x`);
    expect(r.status).toBe(200);
    expect(r.body.length).toBeLessThan(10);
    const click = lab.state.tracker.clicks.find((c: { subid: string }) => c.subid === subid);
    expect(click.subIds).toMatchObject({ sub_id_2: '42', sub_id_5: 'x' });
    expect(lab.state.tracker.updates.at(-1)).toMatchObject({ sub_id: subid, found: true });
  });
});

describe('tracker postback answers (section 1.4)', () => {
  it('wrong key', async () => {
    const r = await request(`${lab.urls.tracker}/badkey/postback?subid=abc`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('Incorrect postback code (badkey in /badkey/postback?subid=abc)');
    expect(r.headers['access-control-allow-origin']).toBe('*');
  });

  it('keyless /postback fails the key check', async () => {
    const r = await request(`${lab.urls.tracker}/postback?subid=abc`);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^Incorrect postback code \(/);
  });

  it('no subid → Incorrect subid, logged', async () => {
    const r = await postback('?status=lead&marker=nosub');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Incorrect subid');
    expect(pbByUrlPart('marker=nosub').messages).toContain('Incorrect subid "". Postback ignored.');
    const empty = await postback('?subid=&marker=emptysub');
    expect(empty.body).toBe('Incorrect subid');
  });

  it('accepted → Success and the queue message; subid aliases work', async () => {
    const r = await postback('?subid=zzzknown&status=lead');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Success');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(pbByUrlPart('subid=zzzknown').messages).toContain(
      'Using "zzzknown" as subid. Postback added to queue.',
    );
    const alias = await postback('?clickid=viaclickid');
    expect(alias.body).toBe('Success');
    expect(pbByUrlPart('clickid=viaclickid').subid).toBe('viaclickid');
    await postback('?sub_id=viasubid');
    expect(pbByUrlPart('sub_id=viasubid').subid).toBe('viasubid');
  });

  it('falls back to the _subid cookie when no subid param is sent [L1]', async () => {
    const r = await postback('?status=lead&marker=cookie', { headers: { Cookie: '_subid=fromcookie123' } });
    expect(r.body).toBe('Success');
    expect(pbByUrlPart('marker=cookie')).toMatchObject({
      subid: 'fromcookie123',
      subidFrom: 'cookie _subid',
    });
  });

  it('return= replaces the body: text (escaped), gif, jsonp', async () => {
    expect((await postback('?subid=r1&return=OK')).body).toBe('OK');
    expect((await postback('?subid=r2&return=%3Cb%3Ehi')).body).toBe('&lt;b&gt;hi');
    const gif = await postback('?subid=r3&return=gif');
    expect(gif.headers['content-type']).toBe('image/gif');
    expect(gif.body.startsWith('GIF89a')).toBe(true);
    expect((await postback('?subid=r4&return=jsonp')).body).toBe(
      'KTracking && KTracking.response("Success")',
    );
  });

  it('POST merges query and form body (urlencoded and multipart)', async () => {
    const r = await postback('?payout=5&marker=post1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: 'subid=posted1&status=lead',
    });
    expect(r.body).toBe('Success');
    const e = pbByUrlPart('marker=post1');
    expect(e.params).toMatchObject({ subid: 'posted1', status: 'lead', payout: '5' });
    expect(e.messages[0]).toContain('post params: {"subid":"posted1","status":"lead"}');
    const boundary = 'XyZ';
    const mp = await postback('?marker=post2', {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: `--${boundary}\r\nContent-Disposition: form-data; name="subid"\r\n\r\nposted2\r\n--${boundary}--\r\n`,
    });
    expect(mp.body).toBe('Success');
    expect(pbByUrlPart('marker=post2').subid).toBe('posted2');
  });

  it('subid quirks: ":" splits, legacy NNNxNNNx form [L2]', async () => {
    await postback('?subid=abc:def:ghi&marker=colon');
    expect(pbByUrlPart('marker=colon')).toMatchObject({ subid: 'abc', subidExtra: ['def', 'ghi'] });
    await postback('?subid=12x34x56&marker=legacy');
    expect(pbByUrlPart('marker=legacy').subid).toBe('12-34-56');
  });
});

describe('asynchronous processing', () => {
  it('SubID not found is logged later, not in the answer', async () => {
    const r = await postback('?subid=nosuchclick1&status=lead');
    expect(r.body).toBe('Success');
    const e = pbByUrlPart('subid=nosuchclick1');
    expect(e.messages.some((m: string) => m.startsWith('SubID not found'))).toBe(false);
    await lab.settled();
    expect(e.messages).toContain('SubID not found "nosuchclick1"');
    expect(e.result).toBe('not-found');
  });

  it('an unreplaced {subid} is accepted, then not found [P2]', async () => {
    const r = await postback('?subid=%7Bsubid%7D&status=lead&marker=macro');
    expect(r.body).toBe('Success');
    await lab.settled();
    expect(pbByUrlPart('marker=macro').messages).toEqual([
      expect.stringContaining('Received postback'),
      'Using "{subid}" as subid. Postback added to queue.',
      'SubID not found "{subid}"',
    ]);
  });

  it('a repeated subid + tid is ignored as a duplicate', async () => {
    const { subid } = await funnel('fetch');
    await postback(`?subid=${subid}&status=lead&tid=T1&marker=dup1`);
    await postback(`?subid=${subid}&status=lead&tid=T1&marker=dup2`);
    await lab.settled();
    expect(pbByUrlPart('marker=dup1').result).toBe('converted');
    expect(pbByUrlPart('marker=dup2').messages).toContain(
      'Conversion by pair "SubId + tid" already exists. Postback ignored.',
    );
    expect(lab.state.tracker.conversions.filter((c: { subid: string }) => c.subid === subid)).toHaveLength(1);
  });

  it('statuses: built-in, aliases, unknown → lead, empty → sale, custom buckets, ignore', async () => {
    const cases: [string, string | null][] = [
      ['status=registratered', 'lead'],
      ['status=approved', 'sale'],
      ['status=', 'sale'],
      ['', 'sale'],
      ['status=declined', 'rejected'],
      ['status=paid&sale_status=ok,yes', 'lead'],
      ['status=yes&sale_status=ok,yes', 'sale'],
      ['status=unsubscribe', null],
      ['status=ping&ignore_status=ping,test', null],
    ];
    const subids: string[] = [];
    for (const [q, _] of cases) {
      const { subid } = await funnel('pixel');
      subids.push(subid);
      await postback(`?subid=${subid}&${q}&payout=1,5`);
    }
    await lab.settled();
    cases.forEach(([q, expected], i) => {
      const conv = lab.state.tracker.conversions.find((c: { subid: string }) => c.subid === subids[i]);
      if (expected === null) expect(conv, q).toBeUndefined();
      else expect(conv?.status, q).toBe(expected);
    });
    const first = lab.state.tracker.conversions.find((c: { subid: string }) => c.subid === subids[0]);
    expect(first).toMatchObject({ original_status: 'registratered', payout: '1.5' });
  });

  it('status transitions: lead → sale allowed, sale → lead not', async () => {
    const { subid } = await funnel('pixel');
    await postback(`?subid=${subid}&status=lead`);
    await postback(`?subid=${subid}&status=sale`);
    await postback(`?subid=${subid}&status=lead&marker=downgrade`);
    await lab.settled();
    const conv = lab.state.tracker.conversions.filter((c: { subid: string }) => c.subid === subid);
    expect(conv).toHaveLength(1);
    expect(conv[0].status).toBe('sale');
    expect(pbByUrlPart('marker=downgrade').result).toBe('unchanged');
  });
});

describe('S2S postback to the network', () => {
  it('a conversion of a click with external_id reaches aff_lsr, which answers success=true;', async () => {
    const { subid, tid } = await funnel('beacon');
    expect(tid).toMatch(/^[0-9a-f]{30}$/);
    await postback(`?subid=${subid}&status=lead&payout=10`);
    await lab.settled();
    const s2s = lab.state.tracker.s2s.find((s: { subid: string }) => s.subid === subid);
    expect(s2s).toMatchObject({
      url: `http://demo.go2cloud.org:${lab.port}/aff_lsr?offer_id=6&transaction_id=${tid}`,
      httpStatus: 200,
      answer: 'success=true;',
    });
    const conv = lab.state.network.conversions.find(
      (c: { transaction_id: string }) => c.transaction_id === tid,
    );
    expect(conv).toMatchObject({ offer_id: 6, via: 'aff_lsr', aff_sub: 'test' });
    const page = await request(lab.urls.s2sLog);
    expect(page.body).toContain('success=true;');
  });

  it('no S2S for a click without external_id', async () => {
    const r = await request(`${lab.urls.tracker}/pixel`);
    const subid = new URL(r.headers.location ?? '').searchParams.get('subid');
    await postback(`?subid=${subid}&status=lead`);
    await lab.settled();
    expect(lab.state.tracker.conversions.some((c: { subid: string }) => c.subid === subid)).toBe(true);
    expect(lab.state.tracker.s2s.some((s: { subid: string }) => s.subid === subid)).toBe(false);
  });
});

describe('network postbacks and pixels', () => {
  it('aff_lsr: bad transaction id, success, duplicate; text/plain and CORS', async () => {
    const bad = await request(`${lab.urls.network}/aff_lsr?offer_id=1&transaction_id=test1`);
    expect(bad.status).toBe(200);
    expect(bad.body).toBe('success=false; err_msg=Invalid Trans. ID #test1.;');
    expect(bad.headers['content-type']).toContain('text/plain');
    expect(bad.headers['access-control-allow-origin']).toBe('*');
    const { tid } = await funnel('iframe');
    expect((await request(`${lab.urls.network}/aff_lsr?transaction_id=${tid}`)).body).toBe('success=true;');
    expect((await request(`${lab.urls.network}/aff_lsr?offer_id=4&transaction_id=${tid}`)).body).toBe(
      'success=false; err_msg=Duplicate conversion.;',
    );
    const wrongOffer = await request(`${lab.urls.network}/aff_lsr?offer_id=1&transaction_id=${tid}`);
    expect(wrongOffer.body).toBe(`success=false; err_msg=Invalid Trans. ID #${tid}.;`);
  });

  it('aff_goal a=lsr records a goal conversion once', async () => {
    const { tid } = await funnel('iframe');
    const g = `${lab.urls.network}/aff_goal?a=lsr&goal_id=5&transaction_id=${tid}`;
    expect((await request(g)).body).toBe('success=true;');
    expect((await request(g)).body).toBe('success=false; err_msg=Duplicate conversion.;');
    expect(lab.state.network.conversions.at(-1)).toMatchObject({ goal_id: '5', via: 'aff_goal lsr' });
  });

  it('aff_l pixel converts only with the network cookie; aff_i is never a conversion', async () => {
    const { aff, tid } = await funnel('form');
    const before = lab.state.network.conversions.length;
    const noCookie = await request(`${lab.urls.network}/aff_l?offer_id=7`);
    expect(noCookie.headers['content-type']).toBe('image/gif');
    expect(lab.state.network.pixels.at(-1)).toMatchObject({ converted: false, reason: 'no network cookie' });
    const cookie = cookiePair(aff, 'ho_tid_7') ?? '';
    await request(`${lab.urls.network}/aff_l?offer_id=7&amount=3`, { headers: { Cookie: cookie } });
    expect(lab.state.network.pixels.at(-1)).toMatchObject({ converted: true, transaction_id: tid });
    await request(`${lab.urls.network}/aff_goal?a=l&goal_id=2`, { headers: { Cookie: cookie } });
    expect(lab.state.network.conversions.at(-1)).toMatchObject({ transaction_id: tid, goal_id: '2' });
    const imp = await request(`${lab.urls.network}/aff_i?offer_id=7&aff_id=1`);
    expect(imp.headers['content-type']).toBe('image/gif');
    expect(lab.state.network.conversions.length).toBe(before + 2);
    expect(lab.state.network.impressions.length).toBeGreaterThan(0);
  });

  it('offers page lists a test link per offer; conversions page is escaped', async () => {
    const offers = await request(lab.urls.offers);
    for (const o of lab.offers)
      expect(offers.body).toContain(`aff_c?offer_id=${o.id}&amp;aff_id=1&amp;aff_sub=test`);
    await request(`${lab.urls.network}/aff_lsr?transaction_id=%3Cscript%3Ex`);
    const conv = await request(lab.urls.networkConversions);
    expect(conv.body).not.toContain('<script>x');
    expect(conv.body).toContain('&lt;script&gt;x');
  });
});

describe('pages and state', () => {
  it('GET /__lab/state on every host returns JSON', async () => {
    for (const base of [
      lab.urls.network,
      lab.urls.tracker,
      lab.urls.landing,
      `http://127.0.0.1:${lab.port}`,
    ]) {
      const r = await request(`${base}/__lab/state`);
      expect(r.headers['content-type']).toContain('application/json');
      const s = JSON.parse(r.body);
      expect(Object.keys(s.tracker)).toEqual(
        expect.arrayContaining([
          'clicks',
          'postbacks',
          'conversions',
          's2s',
          'log',
          'updates',
          'transitions',
        ]),
      );
      expect(Object.keys(s.network)).toEqual(
        expect.arrayContaining(['clicks', 'conversions', 'postbacks', 'pixels', 'impressions']),
      );
    }
  });

  it('the tracker log page shows the documented messages, escaped', async () => {
    await postback('?subid=%3Cimg%20src%3Dx%3E&marker=xss');
    await lab.settled();
    const r = await request(lab.urls.postbackLog);
    expect(r.body).toContain('Using &quot;&lt;img src=x&gt;&quot; as subid. Postback added to queue.');
    expect(r.body).toContain('SubID not found &quot;&lt;img src=x&gt;&quot;');
    expect(r.body).not.toContain('<img src=x>');
  });

  it('landings: valid inline JS, never the URL params in the HTML', async () => {
    const hostile = encodeURIComponent('<script>alert(1)</script>');
    for (const name of Object.keys(lab.urls.landings)) {
      const r = await request(`${lab.urls.landings[name]}?subid=${hostile}&_token=${hostile}`);
      expect(r.status, name).toBe(200);
      expect(r.body, name).not.toContain('alert(1)');
      const scripts = [...r.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
      for (const s of scripts) expect(() => new vm.Script(s), name).not.toThrow();
    }
    const idx = await request(`${lab.urls.landing}/`);
    expect(idx.body).toContain('burst.html');
  });

  it('reset() forgets everything', async () => {
    const other = await startLab({ quiet: true, php: false });
    try {
      await request(`${other.urls.tracker}/pixel`);
      expect(other.state.tracker.clicks).toHaveLength(1);
      other.reset();
      expect(other.state.tracker.clicks).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe(havePhp ? 'PHP landings' : 'PHP landings (skipped: php not found on PATH)', () => {
  it.skipIf(!havePhp)('index.php keeps the subid in the session and posts it server-side', async () => {
    expect(lab.urls.php).toBe(`http://php.landing.example:${lab.phpPort}`);
    const f = await funnel('php');
    expect(f.landingUrl).toBe(`http://php.landing.example:${lab.phpPort}/index.php?subid=${f.subid}`);
    const landing = await request(f.landingUrl);
    expect(landing.status).toBe(200);
    const sess = cookiePair(landing, 'PHPSESSID');
    expect(sess).toMatch(/^PHPSESSID=\w+/);
    expect(landing.body).toContain(f.subid);
    const post = await request(`${lab.urls.php}/index.php`, {
      method: 'POST',
      headers: { Cookie: sess ?? '', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.c',
    });
    expect(post.status).toBe(200);
    expect(post.body).toContain('Thank you');
    await lab.settled();
    const e = lab.state.tracker.postbacks.find((p: { subid: string | null }) => p.subid === f.subid);
    expect(e).toBeTruthy();
    expect(e.url).toBe(
      `http://tracker.example:${lab.port}/${KEY}/postback?cost=1&status=lead&sub_id_1=game1&subid=${f.subid}`,
    );
    expect(e.answer).toBe('Success');
    expect(e.messages).toContain(`Using "${f.subid}" as subid. Postback added to queue.`);
    expect(e.result).toBe('converted');
    const s2s = lab.state.tracker.s2s.find((s: { subid: string }) => s.subid === f.subid);
    expect(s2s).toMatchObject({
      answer: 'success=true;',
      url: expect.stringContaining(`transaction_id=${f.tid}`),
    });
  });

  it.skipIf(!havePhp)(
    'broken.php stores nothing: no session cookie, the postback has an empty subid',
    async () => {
      const f = await funnel('php-broken');
      expect(f.landingUrl).toContain('/broken.php?subid=');
      const landing = await request(f.landingUrl);
      expect(landing.status).toBe(200);
      expect(landing.headers['set-cookie']).toBeUndefined();
      const before = lab.state.tracker.postbacks.length;
      const post = await request(`${lab.urls.php}/broken.php`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'email=a%40b.c',
      });
      expect(post.status).toBe(200);
      const e = lab.state.tracker.postbacks[before];
      expect(e.url).toContain('status=registratered&sub_id_1=game1&subid=');
      expect(e.answer).toBe('Incorrect subid');
      expect(e.messages).toContain('Incorrect subid "". Postback ignored.');
    },
  );

  it('without php the rest still works and php urls are null', async () => {
    const other = await startLab({ quiet: true, php: 'php-does-not-exist-here' });
    try {
      expect(other.phpPort).toBeNull();
      expect(other.urls.php).toBeNull();
      expect(other.notes.join(' ')).toContain('PHP is not installed');
      const r = await request(`${other.urls.tracker}/php`);
      expect(r.headers.location).toContain(`landing.example:${other.port}/no-php.html?subid=`);
    } finally {
      await other.close();
    }
  });

  it.skipIf(!havePhp)('close() ends the PHP child by its pid', async () => {
    const other = await startLab({ quiet: true });
    const probe = await request(`${other.urls.php}/index.php`);
    expect(probe.status).toBe(200);
    await other.close();
    await expect(request(`${other.urls.php}/index.php`)).rejects.toThrow();
  });
});
