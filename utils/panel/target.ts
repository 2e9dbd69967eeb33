/**
 * Which session the panel shows. From the toolbar the popup has no query and shows the active
 * tab; popped out it is `popup.html?tab=ID` (its own tab is active then, so the id must be
 * given); a recent session of a closed tab is `popup.html?session=ID`.
 */
export type PanelTarget = { tabId: number } | { sessionId: string };

export function parseTarget(search: string): PanelTarget | null {
  const q = new URLSearchParams(search);
  const session = q.get('session');
  if (session) return { sessionId: session };
  const tab = q.get('tab');
  if (tab && /^\d+$/.test(tab)) return { tabId: Number(tab) };
  return null;
}

export function targetQuery(target: PanelTarget): string {
  return 'tabId' in target ? `?tab=${target.tabId}` : `?session=${encodeURIComponent(target.sessionId)}`;
}
