import { pathToFileURL } from 'node:url';
import { recognize } from '../utils/recognize/recognize';
import { systems } from '../utils/systems';

/**
 * Recognition speed against the cost of parsing a URL, measured side by side in one run.
 * Targets (PRODUCT.md "Fast"): ordinary traffic is rejected at least 3× faster than a bare
 * `new URL()`, and a tracker URL is fully recognised within 2× of `new URL()` plus iterating
 * its searchParams. Prints figures; never fails.
 */

/** mulberry32: a small seeded PRNG so that every run measures the same corpus. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface Corpus {
  ordinary: string[];
  tracker: string[];
  mixed: string[];
}

/** 90% ordinary requests (analytics, CDN images, fonts, scripts, APIs), 10% tracker URLs of every kind. */
export function makeCorpus(size = 20_000, seed = 42): Corpus {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const id = (n: number) => Array.from({ length: n }, () => ALNUM[int(ALNUM.length)]).join('');
  const hosts = [
    'example.com',
    'shop.example.net',
    'news.example.org',
    'cdn.example-cdn.com',
    'static.example.io',
  ];
  const ordinaryMakers: Array<() => string> = [
    () =>
      `https://www.google-analytics.com/g/collect?v=2&tid=G-${id(10).toUpperCase()}&gtm=45je${id(3)}&_p=${int(1e9)}&cid=${int(1e9)}.${int(1e9)}&ul=en-us&sr=1920x1080&dl=https%3A%2F%2F${pick(hosts)}%2F${id(6)}&dt=Page%20${id(4)}&en=page_view&_s=${int(9)}`,
    () =>
      `https://www.facebook.com/tr?id=${int(1e15)}&ev=PageView&dl=https%3A%2F%2F${pick(hosts)}%2F&rl=&if=false&ts=${int(1e12)}&v=2.9.${int(200)}&r=stable`,
    () =>
      `https://${pick(hosts)}/images/${id(2)}/${id(12)}-${int(2000)}x${int(2000)}.jpg?w=${int(1600)}&h=${int(1200)}&fit=crop&auto=format`,
    () => `https://${pick(hosts)}/assets/${id(8)}.${pick(['png', 'webp', 'svg', 'gif'])}`,
    () => `https://fonts.gstatic.com/s/${pick(['roboto', 'inter', 'opensans'])}/v${int(40)}/${id(24)}.woff2`,
    () =>
      `https://cdn.jsdelivr.net/npm/${pick(['preact', 'zod', 'lodash'])}@${int(20)}.${int(20)}.${int(20)}/dist/index.min.js`,
    () =>
      `https://api.${pick(hosts)}/v${1 + int(3)}/${pick(['items', 'users', 'orders', 'search'])}?page=${int(50)}&limit=${pick([10, 25, 50])}&sort=${pick(['asc', 'desc'])}&q=${id(5)}`,
    () => `https://${pick(hosts)}/${id(5)}/${id(7)}.html`,
    () => `https://www.google.com/search?q=${id(6)}+${id(4)}&oq=${id(6)}&sourceid=chrome&ie=UTF-8`,
    () => `https://${pick(hosts)}/static/js/main.${id(8)}.js`,
  ];
  const subid = () => id(13 + int(8));
  const trackerMakers: Array<() => string> = [
    () =>
      `https://trk.${pick(hosts)}/${id(7)}/postback?subid=${subid()}&status=${pick(['lead', 'sale', 'rejected'])}&payout=${int(100)}.${int(100)}&currency=usd`,
    () =>
      `https://trk.${pick(hosts)}/${id(7)}/postback?subid=${subid()}&payout=${int(50)}&tid=${id(30)}&from=Tune.com`,
    () => `https://lp.${pick(hosts)}/?subid=${subid()}&utm_source=${id(5)}`,
    () => `https://trk.${pick(hosts)}/?_lp=1&_token=${id(24)}&offer_id=${int(99)}`,
    () => `https://${pick(hosts)}/aff_c?offer_id=${int(5000)}&aff_id=${int(5000)}&aff_click_id=${subid()}`,
    () => `https://${pick(hosts)}/aff_lsr?offer_id=${int(5000)}&transaction_id=${id(30)}&amount=${int(100)}`,
    () => `https://${pick(hosts)}/aff_goal?a=lsr&goal_id=${int(20)}&transaction_id=${id(30)}`,
    () => `https://${pick(hosts)}/aff_l?offer_id=${int(5000)}&adv_sub=${id(8)}`,
    () => `https://${pick(hosts)}/postback?cid=${id(26)}&payout=${int(10)}&txid=${id(8)}`,
    () => `https://${pick(hosts)}/click.php?cnv_id=${id(12)}&payout=${int(10)}&cnv_status=approved`,
    () => `https://${pick(hosts)}/postback?clickid=${id(24)}&sum=${int(10)}`,
    () => `https://${pick(hosts)}/p.ashx?o=${int(500)}&e=${int(9)}&t=${id(8)}&r=${id(12)}&f=pb`,
    () =>
      pick(systems.flatMap((s) => s.examples.match.filter((e) => e.body === undefined).map((e) => e.url))),
  ];
  const ordinary: string[] = [];
  const tracker: string[] = [];
  const mixed: string[] = [];
  for (let i = 0; i < size; i++) {
    if (i % 10 === 9) {
      const u = pick(trackerMakers)();
      tracker.push(u);
      mixed.push(u);
    } else {
      const u = pick(ordinaryMakers)();
      ordinary.push(u);
      mixed.push(u);
    }
  }
  // URLs arrive from the browser as flat strings; built here by concatenation they would be
  // V8 cons strings, which every string operation unwraps: flatten them like the real input.
  const flat = (list: string[]): string[] => JSON.parse(JSON.stringify(list)) as string[];
  return { ordinary: flat(ordinary), tracker: flat(tracker), mixed: flat(mixed) };
}

/** Results are counted into this module variable so the engine cannot skip the work. */
export let sink = 0;

/** Median ops/s of `fn` over `urls`, after a warm-up. */
function measure(urls: readonly string[], fn: (u: string) => unknown, rounds = 9): number {
  const pass = () => {
    for (const u of urls) if (fn(u) !== null) sink++;
  };
  for (let i = 0; i < 3; i++) pass();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    pass();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  return urls.length / (median / 1000);
}

function newUrl(u: string): unknown {
  return new URL(u);
}

function newUrlAndParams(u: string): unknown {
  const url = new URL(u);
  let n = 0;
  for (const [k, v] of url.searchParams) n += k.length + v.length;
  return n;
}

const round = (n: number) => Math.round(n);
const ratio = (n: number) => Math.round(n * 100) / 100;

export async function benchRecognize(): Promise<Record<string, number | string>> {
  const corpus = makeCorpus();
  const rejected = corpus.ordinary.filter((u) => recognize(u) === null).length;
  const recognised = corpus.tracker.filter((u) => recognize(u) !== null).length;

  // Interleave the two sides of each comparison so that load from other processes hits both.
  const urlOrdinary: number[] = [];
  const recOrdinary: number[] = [];
  const urlTracker: number[] = [];
  const recTracker: number[] = [];
  for (let i = 0; i < 3; i++) {
    urlOrdinary.push(measure(corpus.ordinary, newUrl));
    recOrdinary.push(measure(corpus.ordinary, (u) => recognize(u)));
    urlTracker.push(measure(corpus.tracker, newUrlAndParams));
    recTracker.push(measure(corpus.tracker, (u) => recognize(u)));
  }
  const best = (xs: number[]) => Math.max(...xs);
  const mixedUrl = measure(corpus.mixed, newUrl);
  const mixedRec = measure(corpus.mixed, (u) => recognize(u));

  const rejectRatio = best(recOrdinary) / best(urlOrdinary);
  const fullRatio = best(urlTracker) / best(recTracker);
  return {
    'corpus (ordinary / tracker)': `${corpus.ordinary.length} / ${corpus.tracker.length} (seeded)`,
    'ordinary rejected / tracker recognised': `${rejected}/${corpus.ordinary.length} / ${recognised}/${corpus.tracker.length}`,
    'new URL(), ordinary (ops/s)': round(best(urlOrdinary)),
    'recognize, ordinary (ops/s)': round(best(recOrdinary)),
    'rejection speed-up vs new URL() (target >= 3)': `${ratio(rejectRatio)} ${rejectRatio >= 3 ? 'OK' : 'MISSED'}`,
    'new URL() + searchParams, tracker (ops/s)': round(best(urlTracker)),
    'recognize, tracker (ops/s)': round(best(recTracker)),
    'full recognition cost vs new URL()+params (target <= 2)': `${ratio(fullRatio)} ${fullRatio <= 2 ? 'OK' : 'MISSED'}`,
    'new URL(), mixed 90/10 (ops/s)': round(mixedUrl),
    'recognize, mixed 90/10 (ops/s)': round(mixedRec),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchRecognize().then((figures) => {
    const width = Math.max(...Object.keys(figures).map((k) => k.length));
    for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(width)}  ${v}`);
  });
}
