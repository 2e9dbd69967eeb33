import { defineContentScript } from 'wxt/utils/define-content-script';
import { MAIN_WORLD_BROWSERS, pageChannel } from '../utils/page/channel';
import { installHook } from '../utils/page/hook';
import { startPageWatch } from '../utils/page/watch';

// MAIN world: the page's own fetch/sendBeacon/XHR (beacon and fetch bodies, fetch answers), and
// the page watch, which reads the DOM here at no extra cost. Reports reach the background through
// the page channel (utils/page/channel.ts says how, and why no isolated world).
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  world: 'MAIN',
  // Firefox MV2 has no MAIN-world content scripts: page-watch.js runs the watch there instead.
  include: MAIN_WORLD_BROWSERS,
  main() {
    const channel = pageChannel(window);
    const watch = startPageWatch(window, channel.send);
    if (watch) channel.landing(watch.url);
    installHook(window, channel.send, watch?.changed);
  },
});
