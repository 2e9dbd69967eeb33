import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { HOST_RESOLVER_RULES, startLab } from '../../lab/index.mjs';
import type { SessionExport } from '../../utils/export/json';

/**
 * The end-to-end fixture: the demo lab, and Debian's Chromium (headless) with the built extension
 * from `.output/chrome-mv3`. Host names are mapped to 127.0.0.1 so the lab looks like the real
 * thing and nothing leaves the machine (the lab's typo domain fails to resolve without a lookup).
 */

export const EXTENSION_DIR = resolve('.output/chrome-mv3');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("Chromium not found: install Debian's `chromium` or set CHROMIUM_PATH");
  return found;
}

export type Lab = Awaited<ReturnType<typeof startLab>>;

export interface Harness {
  lab: Lab;
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** An extension page: messages sent from it take the real runtime path. */
  ext: Page;
  close(): Promise<void>;
}

export interface LaunchOptions {
  withExtension?: boolean;
  /** Another build of the extension (the bench's reference builds); default the one in .output. */
  extensionDir?: string;
  /** false opens a real window (npm start with a display). */
  headless?: boolean;
  port?: number;
  phpPort?: number;
  quiet?: boolean;
}

/** Chromium's flags here: these unpacked extensions, the lab's host names, nothing that phones home. */
export function browserArgs(extensionDirs: string[]): string[] {
  const dirs = extensionDirs.join(',');
  return [
    ...(dirs ? [`--disable-extensions-except=${dirs}`, `--load-extension=${dirs}`] : []),
    `--host-resolver-rules=${HOST_RESOLVER_RULES}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
  ];
}

export async function launch(opts: LaunchOptions = {}): Promise<Harness> {
  const withExtension = opts.withExtension ?? true;
  const extensionDir = opts.extensionDir ?? EXTENSION_DIR;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error('Build the extension first: npm run build');
  }
  const lab = await startLab({ port: opts.port ?? 0, phpPort: opts.phpPort ?? 0, quiet: opts.quiet ?? true });
  const profile = mkdtempSync(join(tmpdir(), 'postback-lens-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    viewport: { width: 1100, height: 800 },
    args: browserArgs(withExtension ? [extensionDir] : []),
  });
  const close = async () => {
    await context.close().catch(() => {});
    await lab.close();
    rmSync(profile, { recursive: true, force: true });
  };
  if (!withExtension)
    return {
      lab,
      context,
      worker: undefined as unknown as Worker,
      extensionId: '',
      ext: undefined as unknown as Page,
      close,
    };
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    const ext = await context.newPage();
    await ext.goto(`chrome-extension://${extensionId}/popup.html`);
    const h: Harness = { lab, context, worker, extensionId, ext, close };
    await warmUp(h);
    return h;
  } catch (e) {
    await close();
    throw e;
  }
}

/** The worker exists before its webRequest listeners are live: load a landing until it is recorded, then start clean. */
async function warmUp(h: Harness) {
  const page = await h.context.newPage();
  const deadline = Date.now() + 30_000;
  for (let i = 0; Date.now() < deadline; i++) {
    await page.goto(`${h.lab.urls.landing}/cookie.html?subid=warmup${i}x0000000`);
    const tabId = await tabIdOf(h, page);
    const exported = await sendMessage(h, { type: 'export-session', tabId });
    if (exported.ok && (exported.data as SessionExport).session.requests.length > 0) {
      await page.close();
      await sendMessage(h, { type: 'clear-sessions' });
      return;
    }
    await page.waitForTimeout(300);
  }
  throw new Error('The extension recorded nothing within 30 s');
}

export async function sendMessage(
  h: Harness,
  message: object,
): Promise<{ ok: boolean; data?: unknown; error?: string }> {
  return h.ext.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

export async function tabIdOf(h: Harness, page: Page): Promise<number> {
  const url = page.url();
  const id = await h.ext.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url === u)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`No tab with ${url}`);
  return id;
}

export async function exportTab(h: Harness, tabId: number): Promise<SessionExport> {
  const reply = await sendMessage(h, { type: 'export-session', tabId });
  if (!reply.ok) throw new Error(`export failed: ${reply.error}`);
  return reply.data as SessionExport;
}

/** Poll until `check` returns a value (not undefined/false), or fail with the last seen state. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `Timed out waiting for ${what}: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
  );
}

/** The HasOffers-like test link of the offer whose URL is the named tracker campaign. */
export function testLink(h: Harness, offerId: number, affSub = 'test'): string {
  return `${h.lab.urls.network}/aff_c?offer_id=${offerId}&aff_id=1&aff_sub=${affSub}`;
}

declare const chrome: {
  runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; data?: unknown; error?: string }> };
  tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>> };
};

/** Stop the extension's service worker as Chrome does when idle (DevTools protocol), and wait until it is stopped. */
export async function stopServiceWorker(h: Harness): Promise<void> {
  // A DevTools session on an extension page sees the extension's worker (same origin).
  const cdp = await h.context.newCDPSession(h.ext);
  const status = new Map<string, string>();
  let stopped: () => void = () => {};
  const done = new Promise<void>((r) => {
    stopped = r;
  });
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) {
      if (!v.scriptURL.startsWith(`chrome-extension://${h.extensionId}/`)) continue;
      status.set(v.versionId, v.runningStatus);
      if (v.runningStatus === 'stopped') stopped();
    }
  });
  await cdp.send('ServiceWorker.enable');
  await waitFor('the worker version', async () => status.size > 0);
  for (const [versionId, s] of status)
    if (s !== 'stopped') await cdp.send('ServiceWorker.stopWorker', { versionId });
  await Promise.race([
    done,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the worker did not stop')), 10_000)),
  ]);
  await cdp.detach();
}
