import { diagnoseUrl } from '../../utils/diagnose/diagnose-url';
import { LIMITS } from '../../utils/export/json';
import { diagnoseSession } from '../../utils/session/diagnose-session';
import { buildTrails } from '../../utils/session/trail';
import type { PanelAppDerive } from './App';
import { getResponseMeaning } from './meaning';

/**
 * The core's derivations the panel shows: the recogniser, the trails and the diagnostics. Loaded
 * after the first paint (see mount.tsx): the stored preview brings the trails and findings it
 * opens with, and the whole session is shown once this has arrived.
 */
export const panelDerive: PanelAppDerive = {
  buildTrails: (s) => buildTrails(s),
  diagnoseSession: (s, trails) => diagnoseSession(s, trails),
  diagnoseUrl: (url) => diagnoseUrl(url),
  meaningOf: getResponseMeaning,
  limits: LIMITS,
};
