import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { MAIN_WORLD_BROWSERS } from './utils/page/channel';

// https://wxt.dev/api/config.html
export default defineConfig({
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
    build: {
      rollupOptions: {
        // Zod's sources carry @__PURE__ comments in places Rollup cannot use; it drops them and says so
        // on every build. Harmless, and noise a newcomer should not have to read.
        onLog(level, log, handler) {
          if (log.code === 'INVALID_ANNOTATION' && log.id?.includes('/zod/')) return;
          handler(level, log);
        },
      },
    },
  }),
  manifest: ({ browser }) => ({
    name: 'Postback Lens',
    description:
      'Follow a Keitaro / HasOffers click id from the click to the postback, and rebuild and replay the postback.',
    permissions: [
      'webRequest', // observe (never block) tracker requests, their redirects, bodies and answers
      'webNavigation', // know when a tab starts a new page load, to group captures by page
      'storage', // storage is the truth: sessions, replays and settings live here
      'unlimitedStorage', // 10,000 captured requests per session outgrow the 10 MB default quota
      // read HttpOnly cookies (PHPSESSID, _subid) that hold a click id; take (and remove at once)
      // the signal cookie a landing writes as the visitor leaves (utils/page/channel.ts)
      'cookies',
      // take what the page watch and hooks found from the page's own world (page-pull.js), and ask
      // the page watch to read the page again when the panel opens (pages carry no runtime listener)
      'scripting',
    ],
    // Firefox has no MAIN-world content scripts: there the page watch is an isolated script
    // (entrypoints/page-watch.ts), on every page. Chrome and Edge put no isolated script into pages
    // at all (utils/page/channel.ts): page-hooks.js runs in the page's world, declared by its entrypoint.
    ...(!MAIN_WORLD_BROWSERS.includes(browser) && {
      content_scripts: [{ matches: ['<all_urls>'], run_at: 'document_start', js: ['page-watch.js'] }],
    }),
    host_permissions: [
      '<all_urls>', // trackers run on any custom domain: detection is by path and params, not by a domain list
    ],
    // Firefox needs a fixed id and a data-collection statement; the extension sends nothing anywhere.
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'postback-lens@example.org', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
