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
      let reading = false;
      let changedMeanwhile = false;
      let stopped = false;
      // Reading a big session takes longer than its writes come during a burst: one read at a
      // time, and one more after it if the session changed meanwhile.
      const read = async () => {
        timer = null;
        if (reading) {
          changedMeanwhile = true;
          return;
        }
        reading = true;
        const session = await loadSession(id);
        reading = false;
        if (stopped) return;
        cb(session);
        if (changedMeanwhile) {
          changedMeanwhile = false;
          schedule();
        }
      };
      const schedule = () => {
        timer ??= setTimeout(read, SESSION_THROTTLE_MS);
      };
      // Every write of a session rewrites its header (a new revision): watching the header is enough.
      const unwatch = storage.watch<unknown>(sessionKey(id), schedule);
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
