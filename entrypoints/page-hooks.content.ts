import { defineContentScript } from 'wxt/utils/define-content-script';
import { MAIN_WORLD_BROWSERS, reportTo } from '../utils/page/channel';
import { installHook } from '../utils/page/hook';
import { startPageWatch } from '../utils/page/watch';

// MAIN world: the page's own fetch/sendBeacon/XHR (beacon and fetch bodies, fetch answers), and
// the page watch, which reads the DOM here at no extra cost (utils/page/channel.ts says why).
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  world: 'MAIN',
  // Firefox MV2 has no MAIN-world content scripts: page-watch.js runs the watch there instead.
  include: MAIN_WORLD_BROWSERS,
  main() {
    const report = reportTo(window);
    const watch = startPageWatch(window, report);
    installHook(window, report, watch?.changed);
  },
});
