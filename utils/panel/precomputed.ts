import type { Diagnostic } from '../recognize/schema';
import type { Session, Trail } from '../session/schema';

/**
 * Trails and findings that came with a session preview (computed by the background from the full
 * session). The selectors use them for that preview object instead of recomputing from its
 * truncated request list.
 */
export const precomputed = new WeakMap<Session, { trails: Trail[]; diagnostics: Diagnostic[] }>();
