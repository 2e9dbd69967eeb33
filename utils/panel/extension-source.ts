import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { Message, Reply } from '../messages';
import { parsePreview } from '../session/preview-schema';
import { readSettings } from '../settings';
import {
  indexItem,
  loadIndex,
  loadSession,
  loadSettings,
  parseIndex,
  previewKey,
  sessionKey,
  settingsItem,
} from '../storage';
import { precomputed } from './precomputed';
import type { PanelSource } from './source';

/** Storage writes of a busy tab come many times a second; the panel re-reads at most this often. */
const SESSION_THROTTLE_MS = 250;

/** The panel's view of extension storage, live while the panel is open (`storage.watch`). */
export function createExtensionSource(): PanelSource {
  return {
    loadIndex,
    async loadSession(id) {
      // A mark for the open-to-rendered benchmark: when the whole session (read and checked) is here.
      const session = await loadSession(id);
      performance.mark('panel-session-parsed');
      return session;
    },
    async loadPreview(id) {
      const preview = parsePreview(await storage.getItem(previewKey(id)));
      performance.mark('panel-preview-read');
      if (!preview) return null;
      precomputed.set(preview.session, { trails: preview.trails, diagnostics: preview.diagnostics });
      return preview.session;
    },
    loadSettings,
    watchIndex: (cb) => indexItem.watch((v) => cb(parseIndex(v))),
    watchSettings: (cb) => settingsItem.watch((v) => cb(readSettings(v))),
    watchSession(id, cb) {
      let timer: ReturnType<typeof setTimeout> | null = null;
      let reads = 0;
      let stopped = false;
      // Every write of a session rewrites its header (a new revision): watching the header is enough.
      const unwatch = storage.watch<unknown>(sessionKey(id), () => {
        if (timer) return;
        timer = setTimeout(async () => {
          timer = null;
          const read = ++reads;
          const session = await loadSession(id);
          // A big session's read may end after a later one began, or after the panel moved on.
          if (read === reads && !stopped) cb(session);
        }, SESSION_THROTTLE_MS);
      });
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        unwatch();
      };
    },
    async send<T>(message: Message): Promise<Reply<T>> {
      try {
        const reply = (await browser.runtime.sendMessage(message)) as Reply<T> | undefined;
        return reply ?? { ok: false, error: 'The background did not answer' };
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
