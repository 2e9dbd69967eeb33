import { defineContentScript } from 'wxt/utils/define-content-script';
import { installHook } from '../utils/page/hook';

// MAIN world: the page's own fetch/sendBeacon/XHR, so beacon and fetch bodies and fetch answers can be seen.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  world: 'MAIN',
  // Firefox MV2 has no MAIN-world content scripts; its webRequest shows beacon bodies anyway.
  include: ['chrome', 'edge'],
  main() {
    installHook(window);
  },
});
