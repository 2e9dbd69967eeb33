import { z } from 'zod/mini';
import { DiagnosticSchema } from '../recognize/schema';
import { SessionSchema, TrailSchema } from './schema';

/**
 * The stored shape of a session preview (utils/session/preview.ts makes one). Kept apart from
 * `createPreview` so the panel reads previews without bundling the trail and diagnostics code.
 */

export const PREVIEW_REQUESTS = 200;

export const PreviewSchema = z.object({
  session: SessionSchema,
  total: z.int(),
  trails: z.array(TrailSchema),
  diagnostics: z.array(DiagnosticSchema),
});
export type Preview = z.infer<typeof PreviewSchema>;

export function parsePreview(raw: unknown): Preview | null {
  const parsed = PreviewSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
