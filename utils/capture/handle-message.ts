import type { WxtStorage } from '@wxt-dev/storage';
import type { browser as browserApi } from 'wxt/browser';

type Browser = typeof browserApi;

import { exportSession } from '../export/json';
import { type Message, parseMessage, type Reply } from '../messages';
import { dispatchInPage, RESCAN_EVENT } from '../page/channel';
import { loadSession, parseIndex, parseSessionHeader, removeSessions, sessionKey } from '../storage';
import { jarObservations } from './cookie-jar';
import { PAGE_CHANNEL } from './page-reports';
import { performReplay } from './replay';
import type { SessionWriter } from './session-writer';

/**
 * One handler for every runtime message. Anything that does not parse, or comes from outside this
 * extension, gets no answer; a handler that fails answers `{ok:false}` and never throws.
 */

type Sender = { id?: string; tab?: { id?: number }; frameId?: number; url?: string };

/**
 * What a content script may say. It speaks for a web page (it passes on the page world's reports, which
 * the page can forge), so it reports what it saw and nothing more: exports, replays, clears and
 * rescans come only from the extension's own pages.
 */
const PAGE_MESSAGES = new Set<Message['type']>(['observations', 'page-request']);

/** The panel, options page or a test page of this extension (the id was checked already); content scripts report their web page's URL. */
function fromExtensionPage(sender: Sender): boolean {
  return /^(chrome|moz)-extension:\/\//.test(sender.url ?? '');
}

export interface MessageDeps {
  browser: Browser;
  storage: WxtStorage;
  writer: SessionWriter;
  fetch?: typeof fetch;
  /** Chrome and Edge: pull the tab's page with a rescan (page-reports.ts); what it brings comes back through this handler. */
  pullTab?: (tabId: number) => Promise<unknown>;
  now?: () => number;
}

export function createMessageHandler(deps: MessageDeps) {
  const now = deps.now ?? Date.now;
  /** null (decided synchronously) for anything not ours; otherwise the reply, which never rejects. */
  return (raw: unknown, sender: Sender): Promise<Reply> | null => {
    if (sender.id !== deps.browser.runtime.id) return null;
    const message = parseMessage(raw);
    if (!message) return null;
    if (!PAGE_MESSAGES.has(message.type) && !fromExtensionPage(sender)) return null;
    return handle(message, sender, deps, now).then(
      (data): Reply => ({ ok: true, data }),
      (e): Reply => ({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  };
}

async function handle(
  message: Message,
  sender: Sender,
  deps: MessageDeps,
  now: () => number,
): Promise<unknown> {
  const { writer, storage } = deps;
  switch (message.type) {
    case 'observations': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('observations come from a tab');
      // The frame's URL as the browser gives it, not the one the page wrote into its report.
      const pageUrl = sender.url ?? message.pageUrl;
      const cookies = await jarObservations(deps.browser, storage, pageUrl, message.ids, now());
      writer.push({
        type: 'observations',
        tabId,
        at: now(),
        frameId: sender.frameId ?? 0,
        pageUrl,
        observations: [...message.observations, ...cookies],
      });
      return null;
    }
    case 'page-request': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('page requests come from a tab');
      const { type: _t, ...rest } = message;
      writer.push({ type: 'page-request', tabId, ...rest });
      return null;
    }
    case 'export-session': {
      await writer.flush();
      const index = parseIndex(await storage.getItem('local:index'));
      const id =
        message.sessionId ?? (message.tabId === undefined ? undefined : index.live[String(message.tabId)]);
      if (!id) throw new Error('No session for that tab yet');
      const session = await loadSession(id, storage);
      if (!session) throw new Error(`Session ${id} is missing or unreadable`);
      return exportSession(session, now(), { name: 'Postback Lens', version: manifestVersion(deps.browser) });
    }
    case 'replay': {
      const replay = await performReplay(message, deps.fetch ?? fetch, now);
      // The tab is all it needs: the header, not the requests.
      const header = parseSessionHeader(await storage.getItem(sessionKey(message.sessionId)));
      if (header) {
        writer.push({ type: 'replay', tabId: header.tabId, sessionId: header.id, at: replay.at, replay });
        await writer.flush();
      }
      return replay;
    }
    case 'rescan-tab': {
      // The page watch reads the page again and what it finds comes back (utils/page/channel.ts):
      // pulled from the MAIN world on Chrome and Edge, an event for Firefox's watch, which sends it.
      // A tab where nothing can run (a browser page) or nobody listens (no click id in its URL) is
      // not an error for the panel.
      if (PAGE_CHANNEL && deps.pullTab) await deps.pullTab(message.tabId);
      else
        await deps.browser.scripting
          .executeScript({ target: { tabId: message.tabId }, func: dispatchInPage, args: [RESCAN_EVENT] })
          .catch(() => undefined);
      return null;
    }
    case 'clear-sessions': {
      await writer.flush();
      const index = parseIndex(await storage.getItem('local:index'));
      const all = [...Object.values(index.live), ...index.recent];
      const gone = message.sessionId ? all.filter((id) => id === message.sessionId) : all;
      await removeSessions(gone, storage);
      const live = Object.fromEntries(Object.entries(index.live).filter(([, id]) => !gone.includes(id)));
      await storage.setItem('local:index', { live, recent: index.recent.filter((id) => !gone.includes(id)) });
      return { cleared: gone.length };
    }
  }
}

function manifestVersion(browser: Browser): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return '0.0.0'; // test doubles have no manifest
  }
}
