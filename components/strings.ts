/**
 * Every English string the panel and the options page show, in one module, so a Russian table
 * (PRODUCT capability 15) can be added beside it later. Functions are for strings with values.
 * Views read `strings` directly; nothing here formats page data as HTML.
 */

const num = (n: number) => n.toLocaleString('en-US');

export const strings = {
  appName: 'Postback Lens',
  loading: 'Loading…',
  noSession: 'Nothing captured on this tab yet. Reload the page after opening the landing or the click link.',
  noTab: 'No tab to show.',
  sessionGone: 'This session is no longer stored (it was cleared or dropped by the recent-sessions cap).',
  closedTab: (when: string) => `Tab closed ${when}: this is a recent session.`,
  popOut: 'Pop out',
  popOutTitle: 'Open this panel in its own tab (a popup closes when it loses focus)',

  tabs: {
    trail: 'Trail',
    requests: 'Requests',
    diagnostics: 'Diagnostics',
    builder: 'Builder',
    replays: 'Replays',
    recent: 'Recent',
  },

  // Trail
  trailTitle: 'Click-id trail',
  noTrails: 'No click id seen on this tab yet.',
  stage: {
    arrived: 'arrived',
    stored: 'stored',
    carried: 'carried',
    sent: 'sent',
    answered: 'answered',
  } as Record<string, string>,
  state: {
    ok: 'ok',
    missing: 'missing',
    invisible: 'not visible',
    problem: 'problem',
    pending: 'pending',
  } as Record<string, string>,
  firstBroken: 'First broken stage',
  sentInvisible: 'sent: not visible from the browser — the landing’s server sent it',
  rebuildAndReplay: 'Rebuild and replay',
  fix: 'Fix',
  evidence: 'Evidence',
  macroId: 'unreplaced macro',
  allStagesOk: 'Every stage was seen.',

  // Requests
  requestsTitle: 'Captured requests',
  pageLoad: (url: string) => `Page: ${url}`,
  noPage: 'Before any page load',
  hops: (n: number) => (n === 1 ? '1 hop' : `${n} hops`),
  noRequests: 'No tracker request captured.',
  selectRequest: 'Select a request to see its params.',
  groups: {
    clickId: 'Click id',
    status: 'Status',
    money: 'Money',
    sub: 'Sub ids',
    other: 'Other',
    unknown: 'Unknown',
  } as Record<string, string>,
  showRaw: 'Show raw',
  hideRaw: 'Hide raw',
  rawUrl: 'URL',
  rawBody: 'Request body',
  responseBody: 'Response body',
  responseHeaders: 'Response headers',
  copyCurl: 'Copy as cURL',
  copied: 'Copied',
  openInBuilder: 'Open in builder',
  hop: (i: number) => `hop ${i}`,
  noParams: 'No params.',
  error: 'Error',
  bodyWithheld: 'The browser does not show this response body (pixels, beacons, frames and forms).',

  dropped: (n: number, what: string, cap?: number) =>
    cap ? `${num(n)} ${what} dropped by the cap of ${num(cap)}` : `${num(n)} ${what} dropped by the cap`,

  // Diagnostics
  diagnosticsTitle: 'Diagnostics',
  noDiagnostics: 'No problem found.',
  severity: { error: 'error', warning: 'warning', info: 'info' } as Record<string, string>,

  // Search
  searchLabel: 'Search params',
  searchPlaceholder: 'Paste a subid, a transaction id, any param name or value',
  searchNone: (q: string) => `“${q}” appears nowhere in this session.`,
  searchCount: (n: number) => (n === 1 ? '1 place' : `${num(n)} places`),
  searchMore: (n: number) => `… and ${num(n)} more`,
  where: {
    request: 'request',
    hop: 'hop',
    body: 'body',
    observation: 'stored',
    response: 'response',
  } as Record<string, string>,

  // Recent
  recentTitle: 'Recent sessions (closed tabs)',
  noRecent: 'No recent session.',
  open: 'Open',
  requestsCount: (n: number) => (n === 1 ? '1 request' : `${num(n)} requests`),

  // Clear / export
  clearThis: 'Clear this session',
  clearAll: 'Clear all sessions',
  confirmClearAll: 'Clear every stored session, live and recent?',
  exportJson: 'Export JSON',
  exportHar: 'Export HAR',
  exportReport: 'Copy report',
  exportReportFile: 'Download report',

  // Builder
  builderTitle: 'Postback builder',
  fromCapture: 'From a captured postback',
  fromUrl: 'Paste a URL',
  blankKeitaro: 'Blank Keitaro',
  blankAffLsr: 'Blank HasOffers aff_lsr',
  blankAffGoal: 'Blank HasOffers aff_goal',
  urlLabel: 'Postback URL',
  fieldsLegend: 'Fields',
  otherParams: 'Other params (kept as they are)',
  addParam: 'Add param',
  removeParam: (name: string) => `Remove ${name || 'param'}`,
  paramName: 'Name',
  paramValue: 'Value',
  notAPostback: 'Not a Keitaro or HasOffers postback URL this builder knows.',
  builderEmpty: 'Start from a captured postback, a pasted URL, or a blank template.',

  // Replay
  replayTitle: 'Replay',
  sendWithCookies: 'Send my cookies',
  sendWithCookiesHint: 'Off: the request goes without your browser cookies (as a server would send it).',
  replay: 'Replay',
  replaying: 'Sending…',
  method: 'Method',
  body: 'Body',
  moneyTitle: 'This replay can change money',
  moneyConfirm: 'Send it anyway',
  cancel: 'Cancel',
  safeVariants: 'Safer variants',
  useVariant: 'Use this',
  status: 'Status',
  time: 'Time',
  headers: 'Headers',
  verdict: { accepted: 'accepted', rejected: 'rejected', unknown: 'unknown' } as Record<string, string>,
  replayError: 'Replay failed',
  noReplays: 'No replay yet. Build a postback and press Replay.',
  replaysTitle: 'Replays',
  compare: 'Compare',
  compareHint: 'Tick two replays to compare them side by side.',
  requestDiff: 'Request params',
  responseDiff: 'Response',
  same: 'same',
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  ms: (n: number) => `${num(Math.round(n))} ms`,

  // Options
  optionsTitle: 'Postback Lens settings',
  trackerUrl: 'Keitaro tracker URL',
  trackerUrlHint: 'e.g. https://tracker.example — the postback goes to TRACKER/KEY/postback',
  postbackKey: 'Keitaro postback key',
  postbackKeyHint: 'Settings → Postback URL in Keitaro; usually 7 hex characters',
  hasoffersDomain: 'HasOffers network domain',
  hasoffersDomainHint: 'e.g. demo.go2cloud.org or your custom tracking domain',
  offerIds: 'HasOffers offer ids',
  offerIdsHint: 'Numbers, separated by commas',
  captureDisabledSites: 'Do not capture on these sites',
  captureDisabledSitesHint: 'One host per line; a parent domain covers its subdomains',
  caps: 'Limits',
  capRequests: 'Requests kept per tab',
  capObservations: 'Storage findings kept per tab',
  capRecent: 'Recent sessions kept',
  capReplays: 'Replays kept per session',
  save: 'Save',
  saved: 'Saved.',
  fixErrors: 'Fix the fields marked below.',
  notANumber: 'Enter a whole number',
} as const;

export type Strings = typeof strings;
