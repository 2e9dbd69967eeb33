// Postback Lens demo lab: a local stand-in for the whole funnel
//   HasOffers-like network (aff_c) → Keitaro-like tracker (campaign → ?subid=) → landing →
//   postback → tracker (queue, logs) → S2S aff_lsr → network.
// One Node HTTP server on 127.0.0.1 serves several host names (dispatch on the Host header); PHP's
// built-in server serves the PHP landings on a second port. Run `node lab/index.mjs` (npm run lab).
// It imports nothing from the extension's utils/: it is written from the domain reference.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CAMPAIGNS, HOST_RESOLVER_RULES, HOSTS, OFFERS, POSTBACK_KEY } from './config.mjs';
import { createLandings } from './landings.mjs';
import { createNetwork } from './network.mjs';
import { createTracker } from './tracker.mjs';
import { escapeHtml, page, send, sendHtml } from './util.mjs';

/** What Chromium needs to see the lab under its host names (tests/e2e/harness.ts passes it). */
export { HOST_RESOLVER_RULES };

/**
 * @typedef {object} LabState
 * @property {{ clicks: any[], conversions: any[], postbacks: any[], pixels: any[], impressions: any[] }} network
 * @property {{ clicks: any[], postbacks: any[], log: any[], conversions: any[], s2s: any[], updates: any[], transitions: any[] }} tracker
 */

/**
 * @typedef {object} LabContext
 * @property {LabState} state
 * @property {() => import('./config.mjs').LabBaseUrls} urls
 * @property {() => number} port
 */

/**
 * @typedef {object} LabUrls
 * @property {string} home         lab home on 127.0.0.1 (works without host mapping)
 * @property {string} network      `http://demo.go2cloud.org:PORT`
 * @property {string} tracker      `http://tracker.example:PORT`
 * @property {string} landing      `http://landing.example:PORT`
 * @property {string|null} php     `http://php.landing.example:PHPPORT` or null without PHP
 * @property {string} testLink     network test link of offer 1 (PHP campaign)
 * @property {Record<string,string>} testLinks  test link per campaign alias
 * @property {Record<string,string>} campaigns  campaign link per alias
 * @property {Record<string,string>} landings   static landing page URLs per file name
 * @property {string} offers       network offers page
 * @property {string} networkConversions
 * @property {string} postback     `http://tracker.example:PORT/e89bcbe/postback`
 * @property {string} postbackLog  received-postbacks log page
 * @property {string} s2sLog       S2S log page
 * @property {string} state        JSON state endpoint
 */

/** @returns {LabState} */
function emptyState() {
  return {
    network: { clicks: [], conversions: [], postbacks: [], pixels: [], impressions: [] },
    tracker: { clicks: [], postbacks: [], log: [], conversions: [], s2s: [], updates: [], transitions: [] },
  };
}

/**
 * Start the lab.
 * @param {{ port?: number, phpPort?: number, quiet?: boolean, php?: string|false }} [options]
 *   `port` of the Node server (0 = any free port), `phpPort` of `php -S` (0 = any free port),
 *   `quiet` to silence request logging, `php` the PHP binary (default `php`; `false` = no PHP).
 */
export async function startLab({ port = 0, phpPort = 0, quiet = false, php = 'php' } = {}) {
  /** @type {LabState} */
  const state = emptyState();
  let actualPort = 0;
  /** @type {number|null} */
  let actualPhpPort = null;
  /** @type {string[]} */
  const notes = [];
  const log = (/** @type {string} */ line) => {
    if (!quiet) process.stdout.write(`${line}\n`);
  };

  /** @returns {import('./config.mjs').LabBaseUrls} */
  const baseUrls = () => ({
    network: `http://${HOSTS.network}:${actualPort}`,
    tracker: `http://${HOSTS.tracker}:${actualPort}`,
    landing: `http://${HOSTS.landing}:${actualPort}`,
    php: actualPhpPort ? `http://${HOSTS.php}:${actualPhpPort}` : null,
  });
  /** @type {LabContext} */
  const ctx = { state, urls: baseUrls, port: () => actualPort };
  const network = createNetwork(ctx);
  const tracker = createTracker(ctx);
  const landings = createLandings(ctx);

  const server = http.createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () =>
      log(
        `${req.method} http://${req.headers.host ?? '?'}${req.url} → ${res.statusCode} (${Date.now() - started} ms)`,
      ),
    );
    route(req, res).catch((err) => {
      if (!res.headersSent)
        send(res, 500, `lab error: ${err?.message ?? err}`, { 'Content-Type': 'text/plain; charset=utf-8' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function route(req, res) {
    const hostHeader = req.headers.host ?? '';
    const hostname = hostHeader.replace(/:\d+$/, '').toLowerCase();
    /** @type {URL} */
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://lab.invalid');
    } catch {
      return send(res, 400, 'bad request', { 'Content-Type': 'text/plain' });
    }
    if (url.pathname === '/__lab/state') {
      return send(res, 200, JSON.stringify(snapshot()), {
        'Content-Type': 'application/json; charset=utf-8',
        'Access-Control-Allow-Origin': '*',
      });
    }
    if (url.pathname === '/favicon.ico') return send(res, 204, '');
    if (url.pathname === '/__lab/reset' && req.method === 'POST') {
      reset();
      return send(res, 200, '{"reset":true}', {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
      });
    }
    if (hostname === HOSTS.network) return network.handle(req, res, url);
    if (hostname === HOSTS.tracker) return tracker.handle(req, res, url);
    if (hostname === HOSTS.landing) return landings.handle(req, res, url);
    return homePage(res);
  }

  function snapshot() {
    return { ...state, pending: !tracker.idle(), ports: { port: actualPort, phpPort: actualPhpPort } };
  }

  function reset() {
    const fresh = emptyState();
    for (const k of /** @type {const} */ (['network', 'tracker'])) {
      for (const [name, arr] of Object.entries(fresh[k])) /** @type {any} */ (state[k])[name] = arr;
    }
    network.reset();
    tracker.reset();
  }

  function homePage(res) {
    const u = urls();
    const item = (/** @type {string} */ label, /** @type {string|null} */ href) =>
      `<li>${escapeHtml(label)}: ${href ? `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>` : '<em>not available</em>'}</li>`;
    sendHtml(
      res,
      200,
      page(
        'Postback Lens demo lab',
        `<p>These hosts all point at this machine. Start the browser with
<code>--host-resolver-rules="${escapeHtml(HOST_RESOLVER_RULES)}"</code> or add them to your hosts file
(<code>127.0.0.1 ${Object.values(HOSTS).join(' ')}</code>).</p>
<ul>${item('Network test links', u.offers)}${item('Tracker', u.tracker)}${item('Landings', `${u.landing}/`)}${item('PHP landing', u.php ? `${u.php}/index.php` : null)}${item('Received postbacks', u.postbackLog)}${item('S2S log', u.s2sLog)}${item('State (JSON)', '/__lab/state')}</ul>
${notes.map((n) => `<p class="banner">${escapeHtml(n)}</p>`).join('')}`,
      ),
    );
  }

  /** @returns {LabUrls} */
  function urls() {
    const b = baseUrls();
    /** @type {Record<string,string>} */
    const testLinks = {};
    /** @type {Record<string,string>} */
    const campaigns = {};
    for (const c of CAMPAIGNS) {
      testLinks[c.alias] = `${b.network}/aff_c?offer_id=${c.offerId}&aff_id=1&aff_sub=test`;
      campaigns[c.alias] = `${b.tracker}/${c.alias}`;
    }
    /** @type {Record<string,string>} */
    const landingUrls = {};
    for (const name of landings.pages) landingUrls[name] = `${b.landing}/${name}`;
    return {
      home: `http://127.0.0.1:${actualPort}/`,
      ...b,
      testLink: `${b.network}/aff_c?offer_id=1&aff_id=1&aff_sub=test`,
      testLinks,
      campaigns,
      landings: landingUrls,
      offers: `${b.network}/offers`,
      networkConversions: `${b.network}/conversions`,
      postback: `${b.tracker}/${POSTBACK_KEY}/postback`,
      postbackLog: `${b.tracker}/admin/logs/postbacks`,
      s2sLog: `${b.tracker}/admin/logs/s2s`,
      state: `http://127.0.0.1:${actualPort}/__lab/state`,
    };
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  actualPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;

  /** @type {import('node:child_process').ChildProcess|null} */
  let child = null;
  /** @type {string|null} */
  let sessionDir = null;
  if (php === false) {
    notes.push('PHP landings are off (php: false); the php and php-broken campaigns show a notice page.');
  } else {
    try {
      const wanted = phpPort || (await freePort());
      sessionDir = mkdtempSync(join(tmpdir(), 'postback-lens-lab-php-'));
      child = await startPhp(php, wanted, sessionDir, actualPort, quiet);
      actualPhpPort = wanted;
    } catch (err) {
      if (sessionDir) rmSync(sessionDir, { recursive: true, force: true });
      sessionDir = null;
      const e = /** @type {NodeJS.ErrnoException} */ (err);
      if (e?.code === 'ENOENT') {
        const msg = `PHP is not installed (no \`${php}\` on PATH): the PHP landings are off and the php / php-broken campaigns show a notice page. Install php-cli to get them.`;
        notes.push(msg);
        if (!quiet) process.stderr.write(`WARNING: ${msg}\n`);
      } else {
        await closeServer(server);
        throw err;
      }
    }
  }

  let closed = false;
  return {
    port: actualPort,
    phpPort: actualPhpPort,
    urls: urls(),
    postbackKey: POSTBACK_KEY,
    hosts: HOSTS,
    campaigns: CAMPAIGNS.map((c) => ({
      alias: c.alias,
      offerId: c.offerId,
      title: c.title,
      landing: c.landing(baseUrls()),
    })),
    offers: OFFERS.map((o) => ({ id: o.id, name: o.name, campaign: o.campaign, url: o.url(baseUrls()) })),
    notes,
    /** Live state (read it, don't write it). Also served as JSON at `/__lab/state` on every host. */
    state,
    /** Forget every click, postback and conversion. */
    reset,
    /** Resolve once the tracker's postback queue is empty and no S2S request is in flight. */
    async settled(timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!tracker.idle()) {
        if (Date.now() > until) throw new Error('lab: postback queue did not settle');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Stop the server and the PHP child (by its pid). */
    async close() {
      if (closed) return;
      closed = true;
      tracker.close();
      await closeServer(server);
      if (child) await stopChild(child);
      if (sessionDir) rmSync(sessionDir, { recursive: true, force: true });
    },
  };
}

/** @param {import('node:http').Server} server */
function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve(undefined));
    server.closeAllConnections();
  });
}

/** A free TCP port on 127.0.0.1 (for `php -S`, which cannot pick one itself). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = /** @type {import('node:net').AddressInfo} */ (s.address()).port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Start `php -S 127.0.0.1:PORT -t lab/php` and wait until it accepts connections.
 * @param {string} bin
 * @param {number} port
 * @param {string} sessionDir
 * @param {number} labPort
 * @param {boolean} quiet
 * @returns {Promise<import('node:child_process').ChildProcess>}
 */
function startPhp(bin, port, sessionDir, labPort, quiet) {
  const docroot = fileURLToPath(new URL('./php/', import.meta.url));
  const child = spawn(
    bin,
    [
      '-d',
      `session.save_path=${sessionDir}`,
      '-d',
      'display_errors=stderr',
      '-S',
      `127.0.0.1:${port}`,
      '-t',
      docroot,
    ],
    {
      env: {
        ...process.env,
        LAB_TRACKER_URL: `http://127.0.0.1:${labPort}`,
        LAB_TRACKER_HOST: `${HOSTS.tracker}:${labPort}`,
        LAB_POSTBACK_KEY: POSTBACK_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  /** @type {string[]} */
  const output = [];
  const onData = (/** @type {Buffer} */ d) => {
    if (output.length < 50) output.push(d.toString());
    if (!quiet) {
      for (const line of d.toString().split('\n')) if (line.trim()) process.stderr.write(`[php] ${line}\n`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (/** @type {Error} */ err) => {
      if (done) return;
      done = true;
      if (child.exitCode === null && child.pid) stopChild(child);
      reject(err);
    };
    child.once('error', fail);
    child.once('exit', (code) =>
      fail(
        new Error(`php -S 127.0.0.1:${port} exited (${code}) before it was ready: ${output.join('').trim()}`),
      ),
    );
    const until = Date.now() + 10_000;
    const probe = () => {
      if (done) return;
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        if (done) return;
        done = true;
        child.removeAllListeners('exit');
        child.removeListener('error', fail);
        resolve(child);
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > until) fail(new Error(`php -S 127.0.0.1:${port} did not start within 10 s`));
        else setTimeout(probe, 50);
      });
    };
    probe();
  });
}

/**
 * End the PHP child by its pid: SIGTERM, then SIGKILL after 2 s.
 * @param {import('node:child_process').ChildProcess} child
 */
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve(undefined);
    const t = setTimeout(() => {
      try {
        if (child.pid) process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 2000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(undefined);
    });
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      clearTimeout(t);
      resolve(undefined);
    }
  });
}

/**
 * @param {string[]} argv
 * @param {string} name  e.g. `--port`
 */
function argValue(argv, name) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === name) return argv[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/** @param {string|undefined} v @param {number} fallback @param {string} what */
function portArg(v, fallback, what) {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what}: not a port number: ${v}`);
  return n;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'Usage: node lab/index.mjs [--port 8080] [--php-port 8081] [--quiet]\n(env LAB_PORT / LAB_PHP_PORT also work)\n',
    );
    return;
  }
  const port = portArg(argValue(argv, '--port') ?? process.env.LAB_PORT, 8080, '--port');
  const phpPort = portArg(argValue(argv, '--php-port') ?? process.env.LAB_PHP_PORT, 8081, '--php-port');
  const lab = await startLab({ port, phpPort, quiet: argv.includes('--quiet') });
  const u = lab.urls;
  const lines = [
    'Postback Lens demo lab is running.',
    '',
    'The hosts below all resolve to 127.0.0.1 only if you tell the browser so, e.g.',
    `  chromium --host-resolver-rules="${HOST_RESOLVER_RULES}"`,
    `or add to your hosts file: 127.0.0.1 ${Object.values(HOSTS).join(' ')}`,
    '',
    `  Start here (network test links): ${u.offers}`,
    `  Test link (offer 1 → PHP landing): ${u.testLink}`,
    `  Tracker campaigns:                ${u.tracker}/`,
    `  Static landings:                  ${u.landing}/`,
    `  PHP landing:                      ${u.php ? `${u.php}/index.php` : 'not available (php missing)'}`,
    `  Received postbacks log:           ${u.postbackLog}`,
    `  S2S postbacks log:                ${u.s2sLog}`,
    `  Network conversions:              ${u.networkConversions}`,
    `  Postback URL:                     ${u.postback}?subid={subid}&status=lead&payout=10`,
    `  Lab home (no host mapping needed): ${u.home}`,
    `  State (JSON):                     ${u.state}`,
    ...lab.notes.map((n) => `NOTE: ${n}`),
    '',
    'Ctrl+C stops it.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const stop = () => {
    lab.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`lab: ${err?.message ?? err}\n`);
    process.exit(1);
  });
}
