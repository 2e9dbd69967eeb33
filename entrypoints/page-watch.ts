import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { relayReports } from '../utils/page/channel';
import { startPageWatch } from '../utils/page/watch';

/**
 * The isolated-world content script, declared in wxt.config.ts (content_scripts → page-watch.js).
 * It runs on every page, so it is an unlisted script (WXT's content-script wrapper and the polyfill
 * were most of its start-up cost) and touches the runtime API only when there is something to send.
 * Where the MAIN world exists it only relays; elsewhere it runs the page watch itself.
 */
type Runtime = { runtime?: { sendMessage?: (message: object) => Promise<unknown> } };

export default defineUnlistedScript(() => {
  const send = (message: object) => {
    const api = (globalThis as { browser?: Runtime }).browser ?? (globalThis as { chrome?: Runtime }).chrome;
    api?.runtime?.sendMessage?.(message).catch(() => {
      // the worker is waking up or the extension was reloaded: the next report sends again
    });
  };
  // MAIN_WORLD_BROWSERS written out: import.meta.env.BROWSER is a literal in each build, so the
  // comparison folds and each build keeps one branch (Chrome's script stays a few hundred bytes).
  if (import.meta.env.BROWSER === 'chrome' || import.meta.env.BROWSER === 'edge') relayReports(window, send);
  else startPageWatch(window, send);
});
