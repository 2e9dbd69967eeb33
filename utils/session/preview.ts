import { diagnoseSession } from './diagnose-session';
import { PREVIEW_REQUESTS, type Preview } from './preview-schema';
import type { Session, Trail } from './schema';
import { buildTrails } from './trail';

export { PREVIEW_REQUESTS, type Preview, PreviewSchema, parsePreview } from './preview-schema';

/**
 * A small copy of a session for the panel's first paint: everything but the requests, the newest
 * requests, and the trails and findings the background already computed for the badge. The panel
 * shows it at once and loads the full session behind it, so opening a tab with 10,000 captured
 * requests costs about what opening one with 100 does. The full session stays the truth; this is a
 * cache written with it in the same storage write.
 */
export function createPreview(session: Session, trails: Trail[] = buildTrails(session)): Preview {
  return {
    session: { ...session, requests: session.requests.slice(-PREVIEW_REQUESTS) },
    total: session.requests.length,
    trails,
    diagnostics: diagnoseSession(session, trails),
  };
}
