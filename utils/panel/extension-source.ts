import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { Message, Reply } from '../messages';
import { parsePreview } from '../session/preview-schema';
import type { Session } from '../session/schema';
import { readSettings } from '../settings';
import {
  indexItem,
  loadIndex,
  loadSettings,
  parseIndex,
  parseSession,
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
      // Marks for the open-to-rendered benchmark: how much of it is storage, how much Zod.
      const raw = await storage.getItem(sessionKey(id));
      performance.mark('panel-storage-read');
      const session = parseSession(raw);
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
      let latest: unknown;
      const unwatch = storage.watch<unknown>(sessionKey(id), (v) => {
        latest = v;
        if (timer) return;
        timer = setTimeout(() => {
          timer = null;
          cb(latest == null ? null : (parseSession(latest) as Session | null));
        }, SESSION_THROTTLE_MS);
      });
      return () => {
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
