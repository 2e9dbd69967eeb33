import { type Settings, SettingsSchema } from '../settings';

/**
 * The options page's form as plain strings, and back to Settings through `SettingsSchema`, with
 * each Zod issue put next to the field it is about.
 */

export interface SettingsForm {
  trackerUrl: string;
  postbackKey: string;
  hasoffersDomain: string;
  /** Comma or space separated. */
  offerIds: string;
  /** One host per line. */
  captureDisabledSites: string;
  requestsPerTab: string;
  observationsPerTab: string;
  recentSessions: string;
  replaysPerSession: string;
}
export type SettingsField = keyof SettingsForm;
export type FieldErrors = Partial<Record<SettingsField, string>>;

export function toForm(s: Settings): SettingsForm {
  return {
    trackerUrl: s.trackerUrl,
    postbackKey: s.postbackKey,
    hasoffersDomain: s.hasoffersDomain,
    offerIds: s.offerIds.join(', '),
    captureDisabledSites: s.captureDisabledSites.join('\n'),
    requestsPerTab: String(s.caps.requestsPerTab),
    observationsPerTab: String(s.caps.observationsPerTab),
    recentSessions: String(s.caps.recentSessions),
    replaysPerSession: String(s.caps.replaysPerSession),
  };
}

const CAPS = ['requestsPerTab', 'observationsPerTab', 'recentSessions', 'replaysPerSession'] as const;

function toNumber(s: string): number {
  const t = s.trim();
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function fromForm(
  f: SettingsForm,
  notANumber = 'Enter a whole number',
): { ok: true; settings: Settings } | { ok: false; errors: FieldErrors } {
  const list = (s: string, sep: RegExp) =>
    s
      .split(sep)
      .map((x) => x.trim())
      .filter(Boolean);
  const errors: FieldErrors = {};
  const caps: Record<string, number> = {};
  for (const k of CAPS) {
    const n = toNumber(f[k]);
    if (Number.isNaN(n)) errors[k] = notANumber;
    caps[k] = n;
  }
  const raw = {
    trackerUrl: f.trackerUrl.trim().replace(/\/+$/, ''),
    postbackKey: f.postbackKey.trim(),
    hasoffersDomain: f.hasoffersDomain.trim().toLowerCase(),
    offerIds: list(f.offerIds, /[\s,]+/),
    captureDisabledSites: list(f.captureDisabledSites, /\n+/).map((s) => s.toLowerCase()),
    caps,
  };
  const parsed = SettingsSchema.safeParse(raw);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, settings: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [head, sub] = issue.path;
    const field = (head === 'caps' ? sub : head) as SettingsField;
    if (!errors[field]) {
      const at = head === 'offerIds' && typeof sub === 'number' ? ` (“${raw.offerIds[sub]}”)` : '';
      errors[field] = `${issue.message}${at}`;
    }
  }
  return { ok: false, errors };
}
