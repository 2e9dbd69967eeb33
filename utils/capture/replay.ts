import { recognize } from '../recognize/recognize';
import { readResponse } from '../response/read-response';
import { capText } from '../session/apply-events';
import type { Replay } from '../session/schema';

/**
 * Send a rebuilt postback from the background (no CORS, no page involved), on an explicit user
 * action only. Cookies are left out unless asked: a Keitaro postback without subid would otherwise
 * pick up the browser's `_subid` cookie [L1] and attach to whatever click it names.
 */

export interface ReplayRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  withCookies: boolean;
}

const MAX_RESPONSE = 64 * 1024;
const TIMEOUT_MS = 15_000;

export async function performReplay(
  req: ReplayRequest,
  fetchFn: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<Replay> {
  const started = now();
  const base = {
    id: `replay-${started}-${Math.random().toString(36).slice(2, 8)}`,
    at: started,
    request: req,
  };
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('only http(s) URLs can be replayed');
  } catch (e) {
    return {
      ...base,
      response: null,
      error: `Not a URL that can be sent: ${(e as Error).message}`,
      meaning: null,
    };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const res = await fetchFn(url, {
      method: req.method,
      credentials: req.withCookies ? 'include' : 'omit',
      cache: 'no-store',
      redirect: 'follow',
      signal: controller.signal,
      ...(req.method === 'POST'
        ? { body: req.body ?? '', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
        : {}),
    });
    const raw = await res.text();
    const body = capText(raw, MAX_RESPONSE);
    const headers: Array<{ name: string; value: string }> = [];
    res.headers.forEach((value, name) => {
      headers.push({ name, value });
    });
    const system = recognize(req.url, { method: req.method, body: req.body })?.system ?? 'unknown';
    return {
      ...base,
      response: {
        status: res.status,
        statusText: res.statusText,
        headers,
        body: body.text,
        truncated: body.truncated,
        ms: now() - started,
      },
      meaning: readResponse(system, body.text, res.status, { url: req.url }),
    };
  } catch (e) {
    const error = controller.signal.aborted
      ? `No answer within ${TIMEOUT_MS / 1000} s`
      : (e as Error).message || String(e);
    return { ...base, response: null, error, meaning: null };
  } finally {
    clearTimeout(timer);
  }
}
