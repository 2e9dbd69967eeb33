// Types of the demo lab's API (lab/index.mjs is plain JavaScript). State entries are `any` on purpose:
// their shapes are documented in docs/lab.md and callers pick the fields they assert on.

export interface LabUrls {
  /** lab home on 127.0.0.1 (works without host mapping) */
  home: string;
  /** `http://demo.go2cloud.org:PORT` */
  network: string;
  /** `http://tracker.example:PORT` */
  tracker: string;
  /** `http://landing.example:PORT` */
  landing: string;
  /** `http://php.landing.example:PHPPORT`, null without PHP */
  php: string | null;
  /** network test link of offer 1 (the PHP campaign) */
  testLink: string;
  /** network test link per campaign alias */
  testLinks: Record<string, string>;
  /** tracker campaign link per alias */
  campaigns: Record<string, string>;
  /** static landing page URL per file name (`pixel.html` …) */
  landings: Record<string, string>;
  offers: string;
  networkConversions: string;
  /** `http://tracker.example:PORT/e89bcbe/postback` */
  postback: string;
  postbackLog: string;
  s2sLog: string;
  /** JSON state endpoint */
  state: string;
}

// biome-ignore lint/suspicious/noExplicitAny: entry shapes are documented in docs/lab.md
type Entry = any;

export interface LabState {
  network: {
    clicks: Entry[];
    conversions: Entry[];
    postbacks: Entry[];
    pixels: Entry[];
    impressions: Entry[];
  };
  tracker: {
    clicks: Entry[];
    postbacks: Entry[];
    log: Entry[];
    conversions: Entry[];
    s2s: Entry[];
    updates: Entry[];
    transitions: Entry[];
  };
}

export interface Lab {
  port: number;
  phpPort: number | null;
  urls: LabUrls;
  postbackKey: string;
  hosts: { network: string; tracker: string; landing: string; php: string };
  campaigns: { alias: string; offerId: number; title: string; landing: string }[];
  offers: { id: number; name: string; campaign: string; url: string }[];
  notes: string[];
  /** Live state: read it, don't write it. Also served as JSON at `/__lab/state` on every host. */
  state: LabState;
  /** Forget every click, postback and conversion. */
  reset(): void;
  /** Resolve once the tracker's postback queue is empty and no S2S request is in flight. */
  settled(timeoutMs?: number): Promise<void>;
  /** Stop the server and the PHP child (by its pid). */
  close(): Promise<void>;
}

export interface LabOptions {
  /** Node server port, 0 = any free port (default 0) */
  port?: number;
  /** `php -S` port, 0 = any free port (default 0) */
  phpPort?: number;
  /** no request log */
  quiet?: boolean;
  /** PHP binary (default `php`), or false to run without PHP */
  php?: string | false;
}

export function startLab(options?: LabOptions): Promise<Lab>;

/** Chromium's `--host-resolver-rules` for the lab's host names. */
export const HOST_RESOLVER_RULES: string;
