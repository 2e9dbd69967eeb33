import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { relayReports } from '../utils/page/channel';
import { startPageWatch } from '../utils/page/watch';

/**
 * The isolated-world script, declared in wxt.config.ts. Where the MAIN world exists (Chrome, Edge)
 * it only relays, and only in pages that have something to report: the background puts it into a
 * landing once loaded and into a page that sends a tracker request (utils/page/channel.ts).
 * Elsewhere (Firefox) the manifest puts it on every page and it runs the page watch itself.
 * An unlisted script: WXT's content-script wrapper and the polyfill were most of its start-up
 * cost. It touches the runtime API only when there is something to send.
 */
type Runtime = { runtime?: { sendMessage?: (message: object) => Promise<unknown> } };

/** Set in this extension's isolated world of the page: the background may inject the relay more than once. */
const ONCE = Symbol.for('postback-lens:page-watch');

export default defineUnlistedScript(() => {
  const world = globalThis as { [ONCE]?: true };
  if (world[ONCE]) return [];
  world[ONCE] = true;
  const send = (message: object) => {
    const api = (globalThis as { browser?: Runtime }).browser ?? (globalThis as { chrome?: Runtime }).chrome;
    api?.runtime?.sendMessage?.(message).catch(() => {
      // the worker is waking up or the extension was reloaded: the next report sends again
    });
  };
  // MAIN_WORLD_BROWSERS written out: import.meta.env.BROWSER is a literal in each build, so the
  // comparison folds and each build keeps one branch (Chrome's script stays a few hundred bytes).
  // The reports that waited for the relay are this script's result, handed to the background by
  // executeScript (utils/capture/inject-relay.ts).
  if (import.meta.env.BROWSER === 'chrome' || import.meta.env.BROWSER === 'edge')
    return relayReports(window, send);
  startPageWatch(window, send);
  return [];
});
