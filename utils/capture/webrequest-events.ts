import { findClickIds, recognize } from '../recognize/recognize';
import { capText, MAX_BODY } from '../session/apply-events';
import type { SessionEvent } from '../session/events';

/**
 * webRequest details → session events. Pure: the background hands every event here and stores
 * what comes back. Only requests the core claims become events; ordinary traffic costs one
 * pre-filtered `recognize` call and nothing else.
 */

/** Request types whose answer is taken as it arrives, in every browser (register.ts says why). */
export const ANSWER_TYPES_ALL: readonly string[] = [
  'sub_frame',
  'image',
  'object',
  'xmlhttprequest',
  'ping',
  'other',
];

interface Base {
  requestId: string;
  tabId: number;
  frameId: number;
  type: string;
  url: string;
  method: string;
  timeStamp: number;
  initiator?: string;
}
interface BodyDetails extends Base {
  requestBody?: {
    formData?: Record<string, Array<string | ArrayBuffer>>;
    raw?: Array<{ bytes?: ArrayBuffer }>;
    error?: string;
  } | null;
}

/** Ours: a URL the core recognises, or one that carries a click id (a campaign link between two tracker hops). */
export function isClaimed(url: string, method?: string, body?: string): boolean {
  if (url.startsWith('chrome-extension:') || url.startsWith('moz-extension:')) return false;
  try {
    return recognize(url, { method, body }) !== null || findClickIds(url).some((id) => id.value !== '');
  } catch {
    return false;
  }
}

export function bodyText(details: BodyDetails): { text: string; truncated: boolean } | undefined {
  const body = details.requestBody;
  if (!body) return undefined;
  if (body.formData) {
    const params = new URLSearchParams();
    for (const [k, values] of Object.entries(body.formData)) {
      for (const v of values) params.append(k, typeof v === 'string' ? v : new TextDecoder().decode(v));
    }
    return capText(params.toString());
  }
  if (body.raw) {
    const chunks = body.raw.flatMap((c) => (c.bytes ? [new Uint8Array(c.bytes)] : []));
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const joined = new Uint8Array(Math.min(size, MAX_BODY));
    let at = 0;
    for (const c of chunks) {
      if (at >= joined.length) break;
      const part = c.subarray(0, joined.length - at);
      joined.set(part, at);
      at += part.length;
    }
    return { text: new TextDecoder('utf-8', { fatal: false }).decode(joined), truncated: size > MAX_BODY };
  }
  return undefined;
}

export function startEvent(details: BodyDetails): SessionEvent | null {
  if (details.tabId < 0) return null; // the extension's own replays and other background traffic
  const body = bodyText(details);
  if (!isClaimed(details.url, details.method, body?.text)) return null;
  return {
    type: 'request-start',
    tabId: details.tabId,
    at: details.timeStamp,
    id: details.requestId,
    frameId: details.frameId,
    resourceType: details.type,
    method: details.method,
    url: details.url,
    ...(details.initiator ? { initiator: details.initiator } : {}),
    ...(body ? { body: body.text, bodyTruncated: body.truncated } : {}),
  };
}

export function redirectEvent(
  details: Base & { redirectUrl: string; statusCode: number },
): SessionEvent | null {
  if (details.tabId < 0) return null;
  if (!isClaimed(details.url) && !isClaimed(details.redirectUrl)) return null;
  return {
    type: 'request-redirect',
    tabId: details.tabId,
    at: details.timeStamp,
    id: details.requestId,
    url: details.url,
    redirectUrl: details.redirectUrl,
    status: details.statusCode,
    frameId: details.frameId,
    resourceType: details.type,
    method: details.method,
  };
}

export function headersEvent(
  details: Base & {
    statusCode: number;
    statusLine?: string;
    responseHeaders?: Array<{ name: string; value?: string }>;
  },
): SessionEvent {
  return {
    type: 'request-headers',
    tabId: details.tabId,
    at: details.timeStamp,
    id: details.requestId,
    status: details.statusCode,
    ...(details.statusLine ? { statusLine: details.statusLine } : {}),
    headers: (details.responseHeaders ?? []).map((h) => ({ name: h.name, value: h.value ?? '' })),
  };
}

export function completeEvent(details: Base & { statusCode: number; fromCache?: boolean }): SessionEvent {
  return {
    type: 'request-complete',
    tabId: details.tabId,
    at: details.timeStamp,
    id: details.requestId,
    status: details.statusCode,
    ...(details.fromCache ? { fromCache: true } : {}),
  };
}

export function errorEvent(details: Base & { error: string }): SessionEvent {
  return {
    type: 'request-error',
    tabId: details.tabId,
    at: details.timeStamp,
    id: details.requestId,
    error: details.error,
  };
}
