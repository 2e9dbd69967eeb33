import { z } from 'zod/mini';
import { DiagnosticSchema } from '../recognize/schema';
import { diagnoseSession } from '../session/diagnose-session';
import { type Session, SessionSchema, TrailSchema } from '../session/schema';
import { buildTrails } from '../session/trail';
import { redact } from './redact';

/**
 * The export contract (docs/export-format.md): the session as stored, plus what the core derives
 * from it, with secrets redacted. Produced from storage by the core, so tests and the panel read
 * exactly what a user attaches to a support ticket.
 */

export const EXPORT_FORMAT = 'postback-lens/session';
export const EXPORT_VERSION = 1;

export const ExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  extension: z.object({ name: z.string(), version: z.string() }),
  session: SessionSchema,
  trails: z.array(TrailSchema),
  diagnostics: z.array(DiagnosticSchema),
  /** What a browser cannot see, said once so nobody reads an absence as proof. */
  limits: z.array(z.string()),
});
export type SessionExport = z.infer<typeof ExportSchema>;

export const LIMITS = [
  'Server-to-server postbacks (a landing server calling the tracker, the tracker calling the network) never pass through the browser: rebuild and replay them to see the answer.',
  'The bodies of image, iframe, beacon and form requests are not visible to extensions; only fetch/XHR bodies the page itself read are shown.',
  'HTTP 200 is not proof of a conversion: Keitaro queues postbacks and checks the subid later; HasOffers can still reject a conversion it answered success=true; to.',
];

export function exportSession(
  session: Session,
  now = Date.now(),
  extension = { name: 'Postback Lens', version: '0.0.0' },
): SessionExport {
  const trails = buildTrails(session);
  const diagnostics = diagnoseSession(session, trails);
  return redact({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    extension,
    session,
    trails,
    diagnostics,
    limits: LIMITS,
  });
}
