import type { ResponseMeaning } from '../../utils/recognize/schema';
import { readResponse } from '../../utils/response/read-response';
import type { CapturedRequest } from '../../utils/session/schema';

/** What a captured conversion's body meant, when the page read it (fetch/XHR). */
export function getResponseMeaning(r: CapturedRequest): ResponseMeaning | null {
  const hop = r.hops.find((h) => h.recognition?.kind === 'postback' || h.recognition?.kind === 'pixel');
  if (!hop?.recognition || !r.responseBody) return null;
  return readResponse(hop.recognition.system, r.responseBody.text, r.status, { url: hop.url });
}
