import { z } from 'zod/mini';
import { DiagnosticSchema } from '../recognize/schema';
import { diagnoseSession } from './diagnose-session';
import { type Session, SessionSchema, type Trail, TrailSchema } from './schema';
import { buildTrails } from './trail';

/**
 * A small copy of a session for the panel's first paint: everything but the requests, the newest
 * requests, and the trails and findings the background already computed for the badge. The panel
 * shows it at once and loads the full session behind it, so opening a tab with 10,000 captured
 * requests costs about what opening one with 100 does. The full session stays the truth; this is a
 * cache written with it in the same storage write.
 */

export const PREVIEW_REQUESTS = 200;

export const PreviewSchema = z.object({
  session: SessionSchema,
  total: z.int(),
  trails: z.array(TrailSchema),
  diagnostics: z.array(DiagnosticSchema),
});
export type Preview = z.infer<typeof PreviewSchema>;

export function createPreview(session: Session, trails: Trail[] = buildTrails(session)): Preview {
  return {
    session: { ...session, requests: session.requests.slice(-PREVIEW_REQUESTS) },
    total: session.requests.length,
    trails,
    diagnostics: diagnoseSession(session, trails),
  };
}

export function parsePreview(raw: unknown): Preview | null {
  const parsed = PreviewSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
