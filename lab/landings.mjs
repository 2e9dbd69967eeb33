// Static landings on landing.example: HTML + inline JS. Every page reads the subid from its own
// `location.search` and the tracker origin from its own location (host tracker.example, same port),
// and writes page data only with textContent — never URL params as HTML.
import { CAMPAIGNS, DEAD_TRACKER_HOST, LANDING_PAYOUT, POSTBACK_KEY, WRONG_POSTBACK_KEY } from './config.mjs';
import { escapeHtml, page, send, sendGif, sendHtml } from './util.mjs';

/** Script shared by the pages (inlined into each). */
const COMMON = `
const TRACKER_HOST = 'tracker.example' + (location.port ? ':' + location.port : '');
const TRACKER = location.protocol + '//' + TRACKER_HOST;
const KEY = ${JSON.stringify(POSTBACK_KEY)};
const PAYOUT = ${JSON.stringify(LANDING_PAYOUT)};
const params = new URLSearchParams(location.search);
const urlSubid = params.has('subid') ? params.get('subid') : (params.get('_subid') || '');
const $ = (id) => document.getElementById(id);
function say(text) {
  $('status').textContent = text;
  const li = document.createElement('li');
  li.textContent = new Date().toISOString().slice(11, 23) + ' ' + text;
  $('log').appendChild(li);
}
/** The tracker's keyed postback endpoint. */
const POSTBACK = TRACKER + '/' + KEY + '/postback';
function postbackUrl(subid) {
  return POSTBACK + '?' + new URLSearchParams({ subid: subid, status: 'lead', payout: PAYOUT });
}
const pixels = [];
function firePixel(subid, url = postbackUrl(subid)) {
  const img = new Image();
  pixels.push(img);
  img.onload = () => say('pixel loaded');
  // The tracker's text answer is not an image; a request that got no answer at all lands here too.
  img.onerror = () => say('pixel request finished (no image came back)');
  img.src = url;
  say('postback sent as an image pixel: ' + url);
}
/** Sends the postback with fetch and shows the answer body in #answer. */
function fetchPostback(url) {
  say('postback sent with fetch: ' + url);
  fetch(url)
    .then((r) => r.text().then((t) => { $('answer').textContent = t; say('fetch answered HTTP ' + r.status); }))
    .catch((e) => say('fetch failed: ' + e));
}
function onSignup(fire) {
  $('signup').addEventListener('click', () => fire());
  if (params.get('auto') === '1') fire();
}
$('subid').textContent = urlSubid;
`;

const SIGNUP = `<p><button type="button" id="signup">Sign up</button></p>
<p>Status: <span id="status">waiting</span></p>
<ol id="log"></ol>`;

/**
 * @typedef {object} LandingPage
 * @property {string} title
 * @property {string} what   escaped HTML describing the page
 * @property {string} [html] escaped HTML placed before the sign-up block
 * @property {string} script inline JS run after COMMON
 * @property {boolean} [noSignup]
 */

/** @type {Record<string, LandingPage>} */
const PAGES = {
  'pixel.html': {
    title: 'Landing: image pixel postback',
    what: 'On “Sign up” (and on load with <code>?auto=1</code>) the postback is fired as <code>new Image()</code>.',
    script: `onSignup(() => firePixel(urlSubid));`,
  },
  'iframe.html': {
    title: 'Landing: iframe postback',
    what: 'On “Sign up” the postback URL is loaded in a new iframe, which shows the tracker’s answer.',
    html: '<div id="frames"></div>',
    script: `onSignup(() => {
  const url = postbackUrl(urlSubid);
  const f = document.createElement('iframe');
  f.title = 'postback';
  f.width = '320';
  f.height = '60';
  f.src = url;
  $('frames').appendChild(f);
  say('postback sent in an iframe: ' + url);
});`,
  },
  'fetch.html': {
    title: 'Landing: fetch postback',
    what: 'On “Sign up” the postback is sent with <code>fetch</code>; the answer body is shown below as text.',
    html: '<p>Tracker answer: <code id="answer"></code></p>',
    script: `onSignup(() => fetchPostback(postbackUrl(urlSubid)));`,
  },
  'beacon.html': {
    title: 'Landing: sendBeacon postback',
    what: 'On “Sign up” the postback is sent with <code>navigator.sendBeacon</code>: the URL holds the key path and the payout, the form body (URLSearchParams) holds <code>subid</code> and <code>status</code>.',
    script: `onSignup(() => {
  const url = POSTBACK + '?payout=' + encodeURIComponent(PAYOUT);
  const ok = navigator.sendBeacon(url, new URLSearchParams({ subid: urlSubid, status: 'lead' }));
  say('postback sent with sendBeacon (' + (ok ? 'queued' : 'refused') + '): ' + url);
});`,
  },
  'xhr.html': {
    title: 'Landing: XMLHttpRequest postback',
    what: 'On “Sign up” the postback is POSTed with <code>XMLHttpRequest</code>, as jQuery’s <code>$.post</code> does: the URL holds the key path and the payout, the urlencoded body holds <code>subid</code> and <code>status</code>. The answer body is shown below as text.',
    html: '<p>Tracker answer: <code id="answer"></code></p>',
    script: `onSignup(() => {
  const url = POSTBACK + '?payout=' + encodeURIComponent(PAYOUT);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', url);
  xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
  xhr.onload = () => { $('answer').textContent = xhr.responseText; say('XHR answered HTTP ' + xhr.status); };
  xhr.onerror = () => say('XHR failed');
  xhr.send(new URLSearchParams({ subid: urlSubid, status: 'lead' }).toString());
  say('postback sent with XMLHttpRequest: POST ' + url);
});`,
  },
  'form.html': {
    title: 'Landing: form POST postback',
    what: 'On “Sign up” a form with hidden inputs is POSTed to the postback URL into a named hidden iframe.',
    html: `<form id="pbform" method="post" target="pbframe">
<input type="hidden" name="subid"><input type="hidden" name="status" value="lead"><input type="hidden" name="payout">
</form>
<iframe name="pbframe" id="pbframe" title="postback answer" width="320" height="60"></iframe>`,
    script: `const form = $('pbform');
form.action = POSTBACK;
form.elements.subid.value = urlSubid;
form.elements.payout.value = PAYOUT;
onSignup(() => {
  form.submit();
  say('postback sent as a form POST to ' + form.action);
});`,
  },
  'cookie.html': {
    title: 'Landing: subid kept in a cookie',
    what: 'On load the subid is stored in the cookie <code>subid</code> (<code>document.cookie</code>, max-age 30 days). “Sign up” reads it back from the cookie and fires an image pixel postback. With <code>tidy=1</code> the page then drops its query from the address bar (<code>history.replaceState</code>), as landings that hide their tracking parameters do.',
    html: '<p>Stored in the cookie: <code id="stored"></code></p>',
    script: `function readCookie() {
  const c = document.cookie.split('; ').find((x) => x.startsWith('subid='));
  return c ? decodeURIComponent(c.slice(6)) : '';
}
if (urlSubid) document.cookie = 'subid=' + encodeURIComponent(urlSubid) + '; max-age=2592000; path=/; SameSite=Lax';
$('stored').textContent = readCookie();
if (params.get('tidy') === '1') history.replaceState(null, '', location.pathname);
onSignup(() => firePixel(readCookie()));`,
  },
  'localstorage.html': {
    title: 'Landing: subid kept in localStorage',
    what: 'On load the subid is stored in <code>localStorage.subid</code>. “Sign up” reads it back and fires an image pixel postback.',
    html: '<p>Stored in localStorage: <code id="stored"></code></p>',
    script: `if (urlSubid) localStorage.setItem('subid', urlSubid);
$('stored').textContent = localStorage.getItem('subid') || '';
onSignup(() => firePixel(localStorage.getItem('subid') || ''));`,
  },
  'late.html': {
    title: 'Landing: subid stored a second after load',
    what: 'One second after load the page stores the subid by assigning <code>localStorage.kt_subid</code> (a property write, not <code>setItem</code>) and adds a hidden input carrying it. Nothing on the page announces either write.',
    html: '<form id="late-form" action="thanks.html" method="get"></form>',
    script: `setTimeout(() => {
  localStorage.kt_subid = urlSubid;
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'subid';
  input.value = urlSubid;
  $('late-form').appendChild(input);
  say('stored late');
}, 1000);
onSignup(() => firePixel(urlSubid));`,
  },
  'leave.html': {
    title: 'Landing: subid stored as the visitor leaves',
    what: "Nothing is stored on load. “Go to the offer” stores the subid with <code>sessionStorage.setItem('kt_subid', …)</code> and leaves for the offer page at once, as landings that keep the id only for the next page do. With <code>&amp;slow=MS</code> a hero image takes that long (at most 10 s), so the page has not finished loading when a quick visitor clicks.",
    html: '<p><button type="button" id="go">Go to the offer</button></p><img id="hero" alt="" width="1" height="1">',
    noSignup: true,
    script: `if (params.get('slow')) $('hero').src = 'slow.gif?ms=' + encodeURIComponent(params.get('slow'));
$('go').addEventListener('click', () => {
  sessionStorage.setItem('kt_subid', urlSubid);
  location.href = 'offer.html?offer_id=1';
});`,
  },
  'prelander.html': {
    title: 'Prelander: subid kept for the offer, left at once',
    what: "A prelander that keeps the subid for the next page and moves on before its DOM is ready: a script at the top of the page assigns <code>localStorage.kt_subid</code> (a property write, not <code>setItem</code>; with <code>&amp;store=cookie</code> it writes the cookie <code>kt_subid</code> instead) and calls <code>location.replace('offer.html?offer_id=1')</code>. A script after it answers only after 5 s (<code>slow.js</code>), so the page has not reached DOMContentLoaded when it goes, as on a real network where the next page answers before the rest of this one arrives.",
    // The page's own script runs first and alone: COMMON (below) waits behind slow.js, and the page is gone by then.
    html: `<script>
(function () {
  var params = new URLSearchParams(location.search);
  var subid = params.get('subid') || '';
  if (subid && params.get('store') === 'cookie') document.cookie = 'kt_subid=' + encodeURIComponent(subid) + '; path=/; SameSite=Lax';
  else if (subid) localStorage.kt_subid = subid;
  location.replace('offer.html?offer_id=1');
})();
</script>
<script src="slow.js?ms=5000"></script>`,
    noSignup: true,
    script: '',
  },
  'hidden.html': {
    title: 'Landing: subid in a hidden input, link to the offer',
    what: 'The sign-up form carries the subid in a hidden input; “Sign up” fires an image pixel postback with the hidden input’s value. The offer link goes through the tracker: <code>//tracker.example:PORT/?_lp=1&amp;_token=…&amp;offer_id=1</code>. With <code>onload=1</code> the page fills the hidden input in its own <code>load</code> handler, as landings built on <code>window.onload</code> do.',
    html: `<form id="signup-form" action="thanks.html" method="get">
<label>Email <input type="email" name="email" autocomplete="off"></label>
<input type="hidden" name="subid" id="hidden-subid">
</form>
<p><a id="offer-link" href="#">Go to the offer</a></p>`,
    script: `if (params.get('onload') === '1') addEventListener('load', () => { $('hidden-subid').value = urlSubid; });
else $('hidden-subid').value = urlSubid;
$('offer-link').href = '//' + TRACKER_HOST + '/?_lp=1&_token=' + encodeURIComponent(params.get('_token') || '') + '&offer_id=1';
onSignup(() => firePixel($('hidden-subid').value));`,
  },
  'macro.html': {
    title: 'Landing: unreplaced {subid}',
    what: 'An image pixel postback carrying whatever arrived in <code>subid</code>. Through the <code>macro</code> campaign that is the unreplaced <code>{subid}</code>; opened without <code>subid</code> the page uses its template’s literal <code>{subid}</code>. The tracker still answers “Success”, then logs “SubID not found”.',
    script: `const macroSubid = params.has('subid') ? params.get('subid') : '{subid}';
$('subid').textContent = macroSubid;
onSignup(() => firePixel(macroSubid));`,
  },
  'burst.html': {
    title: 'Landing: burst of tracker requests',
    what: 'On load fires <code>n</code> (default 100) requests <code>/?_update_tokens=1&amp;sub_id=&lt;subid&gt;&amp;sub_id_2=&lt;i&gt;</code> to the tracker (<code>new Image()</code>, or <code>fetch</code> with <code>&amp;via=fetch</code>), ten per tick, and shows “done N” when all have finished.',
    html: '<p>Finished: <span id="progress">0</span></p>',
    noSignup: true,
    script: `const n = Math.min(Math.max(Number.parseInt(params.get('n') || '100', 10) || 0, 0), 20000);
const viaFetch = params.get('via') === 'fetch';
let started = 0;
let finished = 0;
const keep = [];
function requestUrl(i) {
  return TRACKER + '/?' + new URLSearchParams({ _update_tokens: '1', sub_id: urlSubid, sub_id_2: String(i) });
}
function finish() {
  finished++;
  $('progress').textContent = finished + ' / ' + n;
  if (finished === n) say('done ' + n);
}
function one(i) {
  if (viaFetch) {
    fetch(requestUrl(i)).then((r) => r.text()).then(finish, finish);
  } else {
    const img = new Image();
    keep.push(img);
    img.onload = finish;
    img.onerror = finish;
    img.src = requestUrl(i);
  }
}
function tick() {
  const end = Math.min(started + 10, n);
  while (started < end) one(started++);
  if (started < n) setTimeout(tick, 0);
}
say('sending ' + n + ' requests');
if (n === 0) say('done 0');
else tick();`,
  },
  'wrong-key.html': {
    title: 'Landing: postback with a wrong key',
    what: `On “Sign up” the postback is sent with <code>fetch</code> to <code>/${WRONG_POSTBACK_KEY}/postback</code>, one character off the tracker’s key. The tracker answers HTTP 200 all the same, and its body says why nothing was recorded; the body is shown below as text.`,
    html: '<p>Tracker answer: <code id="answer"></code></p>',
    script: `onSignup(() => fetchPostback(postbackUrl(urlSubid).replace('/' + KEY + '/', '/' + ${JSON.stringify(WRONG_POSTBACK_KEY)} + '/')));`,
  },
  'dead-tracker.html': {
    title: 'Landing: postback to a tracker domain that does not resolve',
    what: `On “Sign up” the postback is fired as an image pixel to <code>${DEAD_TRACKER_HOST}</code>, a typo of the tracker’s domain: the request fails before it reaches any server.`,
    script: `onSignup(() => firePixel(urlSubid, postbackUrl(urlSubid).replace('//' + TRACKER_HOST + '/', '//' + ${JSON.stringify(DEAD_TRACKER_HOST)} + (location.port ? ':' + location.port : '') + '/')));`,
  },
  'offer.html': {
    title: 'Offer page',
    what: 'The offer reached through the tracker’s landing → offer link.',
    html: '<p>Offer: <code id="offer"></code></p>',
    noSignup: true,
    script: `$('offer').textContent = params.get('offer_id') || '';`,
  },
  'receipt.html': {
    title: 'Thank-you page: postback from what the landing kept',
    what: 'A page without a click id in its URL, as the page after a sign-up usually is: on load it reads the subid that <code>localstorage.html</code> kept in <code>localStorage.subid</code> and sends the postback with <code>fetch</code>; the answer body is shown below as text.',
    html: '<p>Tracker answer: <code id="answer"></code></p>',
    noSignup: true,
    script: `const kept = localStorage.getItem('subid') || '';
if (kept) fetchPostback(postbackUrl(kept));
else say('no subid kept in localStorage: open localstorage.html?subid=… first');`,
  },
  'thanks.html': {
    title: 'Thank you',
    what: 'The sign-up form was submitted.',
    noSignup: true,
    script: '',
  },
  'no-php.html': {
    title: 'PHP landing unavailable',
    what: 'The lab could not start <code>php</code>, so the PHP landings are off. Install php-cli (Debian: <code>apt-get install php-cli</code>) and restart the lab.',
    noSignup: true,
    script: '',
  },
};

/**
 * @param {import('./index.mjs').LabContext} lab
 */
export function createLandings(lab) {
  function banner() {
    return `${escapeHtml(new URL(lab.urls().landing).host)} — static landing (Postback Lens demo lab)`;
  }

  /**
   * @param {import('node:http').IncomingMessage} _req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   */
  function handle(_req, res, url) {
    const name = url.pathname.replace(/^\//, '');
    if (name === '' || name === 'index.html') return sendHtml(res, 200, indexPage());
    // An image that holds the page's load event back (leave.html?slow=MS), and a script that holds
    // its parsing, and so DOMContentLoaded, back (prelander.html).
    if (name === 'slow.gif' || name === 'slow.js') {
      const ms = Math.min(Number(url.searchParams.get('ms')) || 0, 10_000);
      const answer = () =>
        name === 'slow.gif'
          ? sendGif(res)
          : send(res, 200, '// slow\n', { 'Content-Type': 'text/javascript' });
      const timer = setTimeout(answer, ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    const p = Object.hasOwn(PAGES, name) ? PAGES[name] : undefined;
    if (!p)
      return sendHtml(
        res,
        404,
        page('Not found', '<p>No such landing. See <a href="/">the list</a>.</p>', banner()),
      );
    const body = `<p class="note">${p.what}</p>
<p>Subid from the URL: <code id="subid"></code></p>
${p.html ?? ''}
${p.noSignup ? '<p>Status: <span id="status">waiting</span></p><ol id="log"></ol>' : SIGNUP}
<script>${COMMON}
${p.script}
</script>`;
    return sendHtml(res, 200, page(p.title, body, banner()));
  }

  function indexPage() {
    const u = lab.urls();
    const pages = Object.entries(PAGES)
      .map(([name, p]) => `<li><a href="/${name}">${escapeHtml(name)}</a> — ${escapeHtml(p.title)}</li>`)
      .join('\n');
    const campaigns = CAMPAIGNS.map(
      (c) =>
        `<li><a href="${escapeHtml(`${u.tracker}/${c.alias}`)}">${escapeHtml(`${u.tracker}/${c.alias}`)}</a> — ${escapeHtml(c.title)}</li>`,
    ).join('\n');
    return page(
      'Landings',
      `<p>Open a landing through its tracker campaign (so it gets a real subid), or through the network's
<a href="${escapeHtml(`${u.network}/offers`)}">test links</a>.</p>
<h2>Campaign links</h2><ul>${campaigns}</ul>
<h2>Pages</h2><ul>${pages}</ul>`,
      banner(),
    );
  }

  return { handle, pages: Object.keys(PAGES) };
}
