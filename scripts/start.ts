import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  exportTab,
  type Harness,
  launch,
  sendMessage,
  tabIdOf,
  testLink,
  waitFor,
} from '../tests/e2e/harness';
import type { SessionExport } from '../utils/export/json';
import type { Replay } from '../utils/session/schema';

/**
 * `npm start`: build the extension, start the demo lab, open Chromium with the extension on the
 * lab's HasOffers test link. Without a display (or with --headless) it runs the same flow headless,
 * prints what the extension captured, replays the postbacks and writes screenshots of the panel.
 */

const args = process.argv.slice(2);
const headless = args.includes('--headless') || !process.env.DISPLAY;
const shotsDir = resolve(
  args.find((a) => a.startsWith('--screenshots='))?.slice('--screenshots='.length) ?? 'screenshots',
);

function build() {
  console.log('Building the extension (wxt build) …');
  const res = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

async function interactive() {
  const h = await launch({ headless: false, port: 8080, phpPort: 8081, quiet: false }).catch(() =>
    launch({ headless: false, quiet: false }),
  );
  const page = await h.context.newPage();
  await page.goto(`${h.lab.urls.network}/`);
  console.log(`\nChromium is open on the lab's test links (${h.lab.urls.network}/).`);
  console.log(
    'Click a test link, sign up on the landing, then click the Postback Lens icon. Ctrl-C to stop.',
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    h.context.once('close', () => done());
  });
  await h.close();
}

function printTrails(ex: SessionExport) {
  for (const t of ex.trails) {
    console.log(`  trail ${t.ids.map((i) => `${i.param}=${i.value}`).join(' ↔ ')}`);
    for (const s of t.stages) console.log(`    ${s.stage.padEnd(8)} ${s.state.padEnd(9)} ${s.summary}`);
  }
  for (const d of ex.diagnostics) console.log(`  [${d.severity}] ${d.code}: ${d.message}`);
}

async function replay(h: Harness, sessionId: string, url: string): Promise<Replay> {
  const reply = await sendMessage(h, { type: 'replay', sessionId, url, method: 'GET', withCookies: false });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data as Replay;
}

async function headlessFlow() {
  const h = await launch({ headless: true });
  try {
    const key = h.lab.postbackKey;
    console.log(
      `\nThe demo lab: ${h.lab.urls.network} (network), ${h.lab.urls.tracker} (tracker), ${h.lab.urls.landing} (landings)`,
    );

    console.log(
      '\n1. HasOffers test link → Keitaro campaign → the seed\'s PHP landing, then "Sign up" (postback sent server-side)',
    );
    const php = await h.context.newPage();
    await php.goto(testLink(h, 1));
    const subid = new URL(php.url()).searchParams.get('subid') ?? '';
    const phpTab = await tabIdOf(h, php);
    await php.click('#signup');
    const phpExport = await waitFor('the trail', async () => {
      const e = await exportTab(h, phpTab);
      return e.trails.some((t) => t.stages.some((s) => s.stage === 'sent' && s.state === 'invisible')) && e;
    });
    printTrails(phpExport);
    const transactionId = phpExport.trails[0]?.ids.find(
      (i) => i.param === 'external_id' || i.param === 'transaction_id',
    )?.value;

    console.log('\n2. The same click on a landing that fires the postback with fetch');
    const fetchPage = await h.context.newPage();
    await fetchPage.goto(testLink(h, 5));
    const fetchTab = await tabIdOf(h, fetchPage);
    await fetchPage.click('#signup');
    printTrails(
      await waitFor('the answer', async () => {
        const e = await exportTab(h, fetchTab);
        return e.trails.some((t) => t.stages.some((s) => s.stage === 'answered' && s.state === 'ok')) && e;
      }),
    );

    console.log("\n3. Rebuild and replay the PHP landing's server-side postback, and the network's aff_lsr");
    const replays = [
      `${h.lab.urls.tracker}/${key}/postback?subid=${encodeURIComponent(subid)}&status=lead&payout=1`,
      `${h.lab.urls.network}/aff_lsr?offer_id=1&transaction_id=${transactionId ?? ''}`,
      `${h.lab.urls.network}/aff_lsr?offer_id=1&transaction_id=test1`,
    ];
    for (const url of replays) {
      const r = await replay(h, phpExport.session.id, url);
      console.log(
        `  GET ${url}\n    → ${r.response?.status ?? 'no answer'} "${r.response?.body ?? r.error}" — ${r.meaning?.message ?? ''}`,
      );
    }

    mkdirSync(shotsDir, { recursive: true });
    const panel = await h.context.newPage();
    await panel.setViewportSize({ width: 800, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await panel.emulateMedia({ colorScheme: scheme });
      await panel.goto(`chrome-extension://${h.extensionId}/popup.html?tab=${phpTab}`);
      await panel.waitForSelector('[data-ready="1"]', { timeout: 10_000 }).catch(() => {});
      await panel.screenshot({ path: resolve(shotsDir, `panel-${scheme}.png`), fullPage: true });
    }
    console.log(`\nScreenshots of the panel: ${shotsDir}/panel-light.png, panel-dark.png`);
  } finally {
    await h.close();
  }
}

build();
(headless ? headlessFlow() : interactive()).catch((e) => {
  console.error(e);
  process.exit(1);
});
