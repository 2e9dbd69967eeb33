import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { MAIN_WORLD_BROWSERS } from '../utils/page/channel';
import { startPageWatch } from '../utils/page/watch';

/**
 * Firefox's isolated-world page watch, put on every page by the manifest (wxt.config.ts): Firefox
 * MV2 has no MAIN-world content scripts, so the watch runs here and sends its reports as runtime
 * messages. Chrome and Edge run the watch in the MAIN world and put no isolated script into pages
 * (utils/page/channel.ts). An unlisted script: WXT's content-script wrapper and the polyfill were
 * most of its start-up cost. It touches the runtime API only when there is something to send.
 */
type Runtime = { runtime?: { sendMessage?: (message: object) => Promise<unknown> } };

export default defineUnlistedScript({
  exclude: MAIN_WORLD_BROWSERS,
  main() {
    const send = (message: object) => {
      const api =
        (globalThis as { browser?: Runtime }).browser ?? (globalThis as { chrome?: Runtime }).chrome;
      api?.runtime?.sendMessage?.(message).catch(() => {
        // the worker is waking up or the extension was reloaded: the next report sends again
      });
    };
    startPageWatch(window, send);
  },
});
