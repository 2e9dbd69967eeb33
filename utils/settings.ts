import { z } from 'zod';

/** User settings, edited on the options page. Every field has a default so a fresh install works. */
export const SettingsSchema = z.object({
  /** Keitaro tracker base, e.g. https://tracker.example — the postback goes to `${trackerUrl}/${postbackKey}/postback`. */
  trackerUrl: z
    .union([
      z.literal(''),
      z.url({ protocol: /^https?$/, error: 'Use an http(s) URL, e.g. https://tracker.example' }),
    ])
    .default(''),
  /** Keitaro postback key (Maintenance/Settings → Postback URL). Real keys are short hex, but the length is not fixed [P1][P3]. */
  postbackKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'Letters, digits, - and _ only: the key is one path segment')
    .default(''),
  /** HasOffers network tracking domain, e.g. demo.go2cloud.org or a custom one. */
  hasoffersDomain: z
    .string()
    .regex(/^([a-z0-9-]+\.)*[a-z0-9-]+(:\d+)?$/i, 'A host name like demo.go2cloud.org (no scheme, no path)')
    .or(z.literal(''))
    .default(''),
  offerIds: z.array(z.string().regex(/^\d+$/, 'Offer ids are numbers')).default([]),
  /** Hosts (exact or parent domain) where nothing is captured. */
  captureDisabledSites: z.array(z.string().min(1)).default([]),
  caps: z
    .object({
      requestsPerTab: z.number().int().min(10).max(50_000).default(10_000),
      observationsPerTab: z.number().int().min(10).max(50_000).default(2_000),
      recentSessions: z.number().int().min(1).max(200).default(20),
      replaysPerSession: z.number().int().min(1).max(1_000).default(100),
    })
    .default({
      requestsPerTab: 10_000,
      observationsPerTab: 2_000,
      recentSessions: 20,
      replaysPerSession: 100,
    }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** Settings from storage, or the defaults when the stored value is missing or invalid. */
export function readSettings(raw: unknown): Settings {
  const parsed = SettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** True when capture is switched off for this page host (exact host or a parent domain). */
export function isCaptureDisabled(settings: Settings, host: string): boolean {
  const h = host.toLowerCase();
  return settings.captureDisabledSites.some((site) => {
    const s = site.toLowerCase().replace(/^\*\./, '');
    return h === s || h.endsWith(`.${s}`);
  });
}
