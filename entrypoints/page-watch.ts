import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startPageWatch } from '../utils/page/watch';

/**
 * The isolated-world content script, declared in wxt.config.ts (content_scripts → page-watch.js).
 * It runs on every page, so it is an unlisted script: WXT's content-script wrapper and the polyfill
 * it brings were most of the script's start-up cost, and all it needs is the platform's own
 * promise-based runtime messaging (Chrome MV3, Firefox).
 */
type Runtime = {
  runtime?: {
    sendMessage?: (message: object) => Promise<unknown>;
    onMessage?: { addListener(fn: (message: unknown) => void): void };
  };
};
const api = (globalThis as { browser?: Runtime }).browser ?? (globalThis as { chrome?: Runtime }).chrome;

export default defineUnlistedScript(() => {
  const watch = startPageWatch(window, (message) => {
    api?.runtime?.sendMessage?.(message).catch(() => {
      // the worker is waking up or the extension was reloaded: the next scan sends again
    });
  });
  // Only this extension's pages and worker can reach a content script's onMessage.
  if (watch) api?.runtime?.onMessage?.addListener(watch.receive);
});
