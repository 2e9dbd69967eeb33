import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startPageWatch } from '../utils/page/watch';

/**
 * The isolated-world content script, declared in wxt.config.ts (content_scripts → page-watch.js).
 * It runs on every page, so it is an unlisted script: WXT's content-script wrapper and the polyfill
 * it brings were most of the script's start-up cost, and all it needs is the platform's own
 * promise-based runtime.sendMessage (Chrome MV3, Firefox).
 */
type Runtime = { runtime?: { sendMessage?: (message: object) => Promise<unknown> } };
const api = (globalThis as { browser?: Runtime }).browser ?? (globalThis as { chrome?: Runtime }).chrome;

export default defineUnlistedScript(() => {
  startPageWatch(window, (message) => {
    api?.runtime?.sendMessage?.(message).catch(() => {
      // the worker is waking up or the extension was reloaded: the next scan sends again
    });
  });
});
