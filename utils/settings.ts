import { z } from 'zod/mini';

/** A whole-number cap with its own words: the options form shows them beside the field. */
function cap(min: number, max: number, fallback: number) {
  const range = `Enter a whole number from ${min} to ${max}`;
  return z._default(z.int(range).check(z.gte(min, range), z.lte(max, range)), fallback);
}

/** User settings, edited on the options page. Every field has a default so a fresh install works. */
export const SettingsSchema = z.object({
  /** Keitaro tracker base, e.g. https://tracker.example — the postback goes to `${trackerUrl}/${postbackKey}/postback`. */
  trackerUrl: z._default(
    z.union([
      z.literal(''),
      z.url({ protocol: /^https?$/, error: 'Use an http(s) URL, e.g. https://tracker.example' }),
    ]),
    '',
  ),
  /** Keitaro postback key (Maintenance/Settings → Postback URL). Real keys are short hex, but the length is not fixed [P1][P3]. */
  postbackKey: z._default(
    z
      .string()
      .check(z.regex(/^[A-Za-z0-9_-]*$/, 'Letters, digits, - and _ only: the key is one path segment')),
    '',
  ),
  /** HasOffers network tracking domain, e.g. demo.go2cloud.org or a custom one. */
  hasoffersDomain: z._default(
    z.union([
      z
        .string()
        .check(
          z.regex(
            /^([a-z0-9-]+\.)*[a-z0-9-]+(:\d+)?$/i,
            'A host name like demo.go2cloud.org (no scheme, no path)',
          ),
        ),
      z.literal(''),
    ]),
    '',
  ),
  offerIds: z._default(z.array(z.string().check(z.regex(/^\d+$/, 'Offer ids are numbers'))), []),
  /** Hosts (exact or parent domain) where nothing is captured. */
  captureDisabledSites: z._default(z.array(z.string().check(z.minLength(1, 'Enter a host name'))), []),
  caps: z._default(
    z.object({
      requestsPerTab: cap(10, 50_000, 10_000),
      observationsPerTab: cap(10, 50_000, 2_000),
      recentSessions: cap(1, 200, 20),
      replaysPerSession: cap(1, 1_000, 100),
    }),
    {
      requestsPerTab: 10_000,
      observationsPerTab: 2_000,
      recentSessions: 20,
      replaysPerSession: 100,
    },
  ),
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
