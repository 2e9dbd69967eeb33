import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startLab } from '../lab/index.mjs';
import { browserArgs, chromiumPath, EXTENSION_DIR, type Harness, launch } from '../tests/e2e/harness';
import { ANSWER_TYPES_ALL } from '../utils/capture/webrequest-events';
import { formatRatio, pairedRatio } from './stats';

/**
 * What the extension costs in a real browser, measured side by side in one run: the content
 * script's main-thread time per landing load, landing load time with and without the extension,
 * and the gzipped size of each bundle. Figures are printed; nothing here fails.
 */

/** Deterministic (mulberry32), so two runs visit the conditions in the same orders. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

export function bundleSizes(dir = EXTENSION_DIR): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(js|css|html)$/.test(name)) out[p.slice(dir.length + 1)] = gzipSync(readFileSync(p)).length;
    }
  };
  walk(dir);
  return out;
}

/** The panel's cost as a user pays it: popup.html and every chunk and stylesheet it loads. */
export function panelSize(sizes: Record<string, number>, dir = EXTENSION_DIR): number {
  const html = readFileSync(join(dir, 'popup.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
  return (sizes['popup.html'] ?? 0) + refs.reduce((n, r) => n + (sizes[r] ?? 0), 0);
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  /** Thread time: what the page's main thread spent, without the moments the OS gave it to another process. */
  tdur?: number;
  args?: { data?: { url?: string; scriptName?: string } };
}

/**
 * A copy of the built extension, in a folder of `root`, whose two content scripts do nothing; with
 * `worker`, its service worker replaced too, and its name set to `label` (chrome://extensions tells
 * the copies apart by name).
 */
function referenceBuild(root: string, label: string, worker?: string): string {
  const dir = join(root, label.replace(/\W+/g, '-'));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  for (const script of ['content-scripts/page-hooks.js', 'page-pull.js'])
    writeFileSync(join(dir, script), '(function(){})();\n');
  if (worker === undefined) return dir;
  writeFileSync(join(dir, 'background.js'), worker);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, name: label }));
  return dir;
}

/** Where a load's content-script time went: each script's evaluation, and the callbacks it left (load scan, events). */
type Parts = { pull: number; hooks: number; callbacks: number };

/** Main-thread time of scripts from this extension during one page load, from a Chromium trace. */
async function contentScriptMs(
  context: BrowserContext,
  page: Page,
  url: string,
  extensionId: string,
): Promise<Parts> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(500); // anything the scripts do just after load
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  // Only the scripts that run in the page (the trace also holds the service worker's and other pages' events).
  const scripts = [
    `chrome-extension://${extensionId}/page-pull.js`,
    `chrome-extension://${extensionId}/content-scripts/`,
  ];
  const urlOf = (e: TraceEvent) => e.args?.data?.url ?? e.args?.data?.scriptName ?? '';
  const ours = (e: TraceEvent) => scripts.some((s) => urlOf(e).startsWith(s));
  // Top-level evaluations and callbacks of our scripts (a trace shows none nested in another).
  // Thread time, not wall time: on a shared machine the wall clock also counts other processes' turns.
  const parts: Parts = { pull: 0, hooks: 0, callbacks: 0 };
  for (const e of events) {
    if (e.ph !== 'X' || !(e.name === 'EvaluateScript' || e.name === 'FunctionCall') || !ours(e)) continue;
    const part =
      e.name === 'FunctionCall' ? 'callbacks' : urlOf(e).startsWith(scripts[0] ?? '') ? 'pull' : 'hooks';
    parts[part] += (e.tdur ?? e.dur ?? 0) / 1000;
  }
  return parts;
}

const total = (p: Parts) => p.pull + p.hooks + p.callbacks;

async function loadMs(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return nav ? nav.loadEventEnd - nav.startTime : Number.NaN;
  });
}

export async function benchExtension(rounds = 15): Promise<Record<string, string | number>> {
  const results: Record<string, string | number> = {};
  const sizes = bundleSizes();
  const content = sizes['content-scripts/page-hooks.js'] ?? 0;
  const pull = sizes['page-pull.js'] ?? 0;
  const panel = panelSize(sizes);
  results['content script (page watch and hooks), gzipped KB (target ≤ 10)'] = +(content / 1024).toFixed(2);
  results['page pull script, gzipped KB'] = +(pull / 1024).toFixed(2);
  results['background, gzipped KB'] = +((sizes['background.js'] ?? 0) / 1024).toFixed(2);
  results['panel (html + js + css), gzipped KB (target ≤ 50)'] = +(panel / 1024).toFixed(2);

  let withExt: Harness | undefined;
  let floor: Harness | undefined;
  let floorDir: string | undefined;
  try {
    withExt = await launch();
    // The floor: this extension with its page-world script and its pull emptied. What running any
    // script in a page costs (the browser injects and evaluates two) is in both; the difference is ours.
    floorDir = referenceBuild(mkdtempSync(join(tmpdir(), 'postback-lens-floor-')), 'chrome-mv3');
    floor = await launch({ extensionDir: floorDir });

    // Four pages: one the user merely visits (no click id: the common case), a landing that only
    // receives a subid, the cookie landing, which also writes the subid into a cookie, and a landing
    // that carries it in a hidden input and a link, so its load scan has something to report.
    const kinds = [
      [
        'ordinary page (no click id)',
        (h: Harness, i: number) => `${h.lab.urls.landing}/offer.html?offer_id=${i}`,
      ],
      [
        'landing with a subid',
        (h: Harness, i: number) => `${h.lab.urls.landing}/pixel.html?subid=bench${i}abcdefghijk`,
      ],
      [
        'landing that stores the subid in a cookie',
        (h: Harness, i: number) => `${h.lab.urls.landing}/cookie.html?subid=bench${i}abcdefghijk`,
      ],
      [
        'landing that carries the subid in a hidden input and a link',
        (h: Harness, i: number) =>
          `${h.lab.urls.landing}/hidden.html?subid=bench${i}abcdefghijk&_token=tok${i}abcdefghijk`,
      ],
    ] as const;
    const browsers = [withExt, floor];
    const pages = await Promise.all(browsers.map((h) => h.context.newPage()));
    const measure = (b: number, url: (h: Harness, i: number) => string, i: number) => {
      const h = browsers[b] as Harness;
      return contentScriptMs(h.context, pages[b] as Page, url(h, i), h.extensionId);
    };
    // Warm up first: Chromium caches a content script's compiled code after its first loads, and a
    // user's browser has long done so. Then kinds and browsers take turns, so a busy moment hits all alike.
    for (const [, url] of kinds)
      for (let i = 0; i < 3; i++) for (const b of [0, 1]) await measure(b, url, 900 + i);
    const ms = kinds.map(() => [[], []] as Parts[][]);
    for (let i = 0; i < rounds; i++)
      for (const [k, [, url]] of kinds.entries())
        for (const b of [0, 1]) ms[k]?.[b]?.push(await measure(b, url, i));
    for (const [k, [label]] of kinds.entries()) {
      const [loads, floors] = [ms[k]?.[0] ?? [], ms[k]?.[1] ?? []];
      const [ours, empty] = [median(loads.map(total)), median(floors.map(total))];
      results[`content scripts' main-thread ms per load, ${label}, median (target well under 1)`] =
        +ours.toFixed(3);
      results[`  ${label}, both scripts emptied (the floor), median`] = +empty.toFixed(3);
      results[`  ${label}, ours above the floor`] = +(ours - empty).toFixed(3);
      const part = (p: keyof Parts) => median(loads.map((l) => l[p])).toFixed(3);
      results[`  ${label}, medians of hook script eval · callbacks · pull eval`] =
        `${part('hooks')} · ${part('callbacks')} · ${part('pull')}`;
    }
  } finally {
    await withExt?.close();
    await floor?.close();
    if (floorDir) rmSync(dirname(floorDir), { recursive: true, force: true });
  }
  Object.assign(results, await loadRatio());
  return results;
}

/**
 * Reference builds for the load-time ratio: this extension's manifest (same permissions, same
 * content-script declaration) with the content scripts emptied and the service worker replaced.
 * "nothing" runs no code at all; "no-op webRequest" only adds the five webRequest listeners capture
 * needs, with the same options, each doing nothing: what Chromium charges any observer of requests.
 */
const REFERENCE_WORKERS = {
  'extension that does nothing': '',
  'extension with five no-op webRequest listeners': `const f = { urls: ['<all_urls>'] }, n = () => {}, w = chrome.webRequest;
w.onBeforeRequest.addListener(n, f, ['requestBody']);
w.onBeforeRedirect.addListener(n, f, ['responseHeaders']);
w.onHeadersReceived.addListener(n, { ...f, types: ${JSON.stringify(ANSWER_TYPES_ALL)} }, ['responseHeaders']);
w.onCompleted.addListener(n, f, ['responseHeaders']);
w.onErrorOccurred.addListener(n, f);
`,
} as const;

type Management = {
  getAll(): Promise<Array<{ id: string; name: string }>>;
  setEnabled(id: string, on: boolean): Promise<void>;
};

/**
 * Landing load time with the extension vs without, in one browser. Two browsers launched the same
 * way differ by up to a third in page load time (66 vs 87 ms for one page, neither with an
 * extension), which swamps a few per cent. So one browser holds this build and the reference
 * builds, and chrome://extensions enables one of them (or none) at a time. Each cycle visits every
 * condition, in a new random order each cycle, with a few loads each; a condition's
 * ratio pairs its loads with the same cycle's loads without any extension (bench/stats.ts), so the
 * machine getting busier over the run hits all conditions alike, and comes with its 95% interval:
 * single loads here spread from 30 to 160 ms, so the interval says how far one run can tell.
 * "extension that does nothing" is the check on the method: its true ratio is near 1.
 */
export async function loadRatio(cycles = 24, loads = 6): Promise<Record<string, string | number>> {
  const root = mkdtempSync(join(tmpdir(), 'postback-lens-ratio-'));
  const ours = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')).name as string;
  const dirs = [
    EXTENSION_DIR,
    ...Object.entries(REFERENCE_WORKERS).map(([label, worker]) => referenceBuild(root, label, worker)),
  ];
  const lab = await startLab({ port: 0, phpPort: 0, quiet: true });
  const context = await chromium.launchPersistentContext(join(root, 'profile'), {
    executablePath: chromiumPath(),
    headless: true,
    args: browserArgs(dirs),
  });
  try {
    const admin = await context.newPage();
    await admin.goto('chrome://extensions');
    const installed = await admin.evaluate(() =>
      (globalThis as unknown as { chrome: { management: Management } }).chrome.management.getAll(),
    );
    const conditions = ['without any extension', ours, ...Object.keys(REFERENCE_WORKERS)];
    const idOf = new Map(installed.map((e) => [e.name, e.id]));
    const missing = conditions.slice(1).filter((c) => !idOf.has(c));
    if (missing.length > 0) throw new Error(`not installed: ${missing.join(', ')}`);
    const enableOnly = async (name: string) => {
      for (const [other, id] of idOf)
        await admin.evaluate(
          ([id, on]) =>
            (globalThis as unknown as { chrome: { management: Management } }).chrome.management.setEnabled(
              id,
              on,
            ),
          [id, other === name] as const,
        );
    };
    let n = 0;
    const landing = () => `${lab.urls.landing}/cookie.html?subid=bench${n++}abcdefghijk`;
    const ms = new Map(conditions.map((c) => [c, [] as number[][]]));
    const random = seeded(1);
    for (let c = 0; c < cycles; c++) {
      // A new order every cycle: whatever a condition leaves behind (a worker shutting down as its
      // extension is disabled) falls on whichever comes next, and a fixed rotation would always
      // put it on the same one.
      for (const condition of shuffle(conditions, random)) {
        await enableOnly(condition);
        const page = await context.newPage();
        // The worker starts and registers its listeners; the first load after it warms the caches.
        await page.waitForTimeout(300);
        await loadMs(page, landing());
        const cycle: number[] = [];
        for (let i = 0; i < loads; i++) {
          // Room for what an extension does after a load (the pull, a write) before the next one.
          await page.waitForTimeout(200);
          cycle.push(await loadMs(page, landing()));
        }
        await page.close();
        ms.get(condition)?.push(cycle);
      }
    }
    const loadsOf = (condition: string) => ms.get(condition) ?? [];
    const against = (condition: string, base = conditions[0] ?? '') =>
      pairedRatio(loadsOf(condition), loadsOf(base));
    const all = (condition: string) => median(loadsOf(condition).flat());
    const ratio = against(ours);
    const out: Record<string, string | number> = {
      'landing load ms without extension, median': +all(conditions[0] ?? '').toFixed(2),
      'landing load ms with extension, median': +all(ours).toFixed(2),
      'landing load ratio with/without (target ≤ 1.05)': formatRatio(ratio),
      '  the budget':
        ratio.high <= 1.05
          ? 'met'
          : ratio.low > 1.05
            ? 'MISSED'
            : 'this run cannot tell (the interval holds 1.05)',
    };
    for (const label of Object.keys(REFERENCE_WORKERS))
      out[`  ${label}: load ratio`] = formatRatio(against(label));
    // What capture adds above what Chromium charges any extension that observes requests.
    out['  ours against the no-op webRequest extension'] = formatRatio(
      against(ours, 'extension with five no-op webRequest listeners'),
    );
    out[`  (${cycles} cycles × ${loads} loads per condition, one browser, extensions enabled in turns)`] = '';
    return out;
  } finally {
    await context.close().catch(() => {});
    await lab.close();
    rmSync(root, { recursive: true, force: true });
  }
}
