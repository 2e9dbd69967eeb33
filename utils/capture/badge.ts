import type { Session, Trail } from '../session/schema';

/** The toolbar badge: the tab's funnel state at a glance (PRODUCT capability 7). */
export type BadgeState = 'nothing' | 'id-seen' | 'postback-sent' | 'problem';

export const BADGES: Record<BadgeState, { text: string; color: string; title: string }> = {
  nothing: { text: '', color: '#777777', title: 'Postback Lens: no click id on this tab' },
  'id-seen': { text: 'ID', color: '#2f6fdd', title: 'Postback Lens: a click id arrived' },
  'postback-sent': { text: 'PB', color: '#1e8e3e', title: 'Postback Lens: a postback was sent' },
  problem: { text: '!', color: '#d93025', title: 'Postback Lens: a problem was found' },
};

export function badgeState(session: Session | null, trails: Trail[]): BadgeState {
  if (!session || trails.length === 0) return 'nothing';
  if (trails.some((t) => t.firstBroken >= 0)) return 'problem';
  if (trails.some((t) => t.stages.find((s) => s.stage === 'sent')?.state === 'ok')) return 'postback-sent';
  return 'id-seen';
}
