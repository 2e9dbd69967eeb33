// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupByPage, searchSession } from '../utils/panel/derive';
import { compareReplays } from '../utils/replay/compare';
import { moneyWarnings, safeVariants, sentPostbacks } from '../utils/replay/money';
import type { Session, Trail } from '../utils/session/schema';
import { DEFAULT_SETTINGS } from '../utils/settings';
import {
  brokenSession,
  brokenTrails,
  HOSTILE,
  healthySession,
  healthyTrails,
  hostileSession,
  hostileTrails,
  invalidTransReplay,
  macroSession,
  macroTrails,
  makeBigSession,
  SUBID,
  saleSession,
  TRANSACTION_ID,
} from './fixtures/sessions';
import { MoneyConfirm } from './MoneyConfirm';
import { Panel, type PanelProps } from './Panel';
import { ReplayList } from './ReplayList';
import { ReplayResult } from './ReplayResult';
import { strings } from './strings';
import { TrailCard } from './TrailCard';

afterEach(cleanup);

function props(session: Session | null, trails: Trail[] = [], over: Partial<PanelProps> = {}): PanelProps {
  return {
    status: session ? 'ready' : 'missing',
    session,
    view: 'trail',
    onView: vi.fn(),
    trails,
    onRebuild: vi.fn(),
    groups: session ? groupByPage(session) : [],
    selected: null,
    onSelect: vi.fn(),
    onCopyCurl: vi.fn(),
    onOpenBuilder: vi.fn(),
    diagnostics: null,
    query: '',
    onQuery: vi.fn(),
    search: null,
    recent: [],
    onOpenSession: vi.fn(),
    compare: [],
    comparison: null,
    onToggleCompare: vi.fn(),
    onLoadReplay: vi.fn(),
    builder: null,
    caps: DEFAULT_SETTINGS.caps,
    onClear: vi.fn(),
    onExport: vi.fn(),
    ...over,
  };
}

describe('trail first', () => {
  it('healthy funnel: transaction_id → subid → PHP session cookie → server-side postback invisible → rebuild', () => {
    const onRebuild = vi.fn();
    const { container } = render(<Panel {...props(healthySession, healthyTrails, { onRebuild })} />);
    expect(screen.getByText(TRANSACTION_ID)).toBeTruthy();
    expect(screen.getByText(SUBID)).toBeTruthy();
    const stages = [...container.querySelectorAll('.stage')].map(
      (li) => `${li.getAttribute('data-stage')}:${li.getAttribute('data-state')}`,
    );
    expect(stages).toEqual(['arrived:ok', 'stored:ok', 'carried:ok', 'sent:invisible', 'answered:pending']);
    expect(screen.getByText(/PHPSESSID, HttpOnly/)).toBeTruthy();
    const stored = container.querySelector('[data-stage="stored"] .observations') as HTMLElement;
    expect(stored.textContent).toBe(
      'session cookie PHPSESSID · lp.example / · until the browser closes · HttpOnly',
    );
    expect(screen.getByText(strings.sentInvisible)).toBeTruthy();
    expect(strings.sentInvisible).toBe('sent: not visible from the browser — the landing’s server sent it');
    fireEvent.click(screen.getByRole('button', { name: strings.rebuildAndReplay }));
    expect(onRebuild).toHaveBeenCalledWith(healthyTrails[0]);
    expect(container.querySelector('.broken')).toBeNull();
  });

  it('broken-session landing: "stored" is the first broken stage, with the finding and the fix', () => {
    const { container } = render(<TrailCard trail={brokenTrails[0] as Trail} />);
    const broken = container.querySelector('.stage.broken') as HTMLElement;
    expect(broken.getAttribute('data-stage')).toBe('stored');
    expect(broken.textContent).toContain(strings.firstBroken);
    expect(broken.textContent).toContain('stored it nowhere');
    expect(broken.textContent).toContain('session_start()');
    expect(screen.queryByRole('button', { name: strings.rebuildAndReplay })).toBeNull();
    void brokenSession;
  });

  it('unreplaced {subid} macro: flagged on the id and explained on "arrived"', () => {
    const { container } = render(<Panel {...props(macroSession, macroTrails)} />);
    expect(container.querySelector('.id-chip.macro')?.textContent).toContain('{subid}');
    expect(screen.getAllByText(strings.macroId).length).toBeGreaterThan(0);
    const broken = container.querySelector('.stage.broken') as HTMLElement;
    expect(broken.getAttribute('data-stage')).toBe('arrived');
    expect(broken.querySelector('[data-code="unreplaced-macro"]')).toBeTruthy();
  });
});

describe('requests', () => {
  it('one row per request with its hops folded; expanding shows the hops; selecting shows params by meaning', () => {
    const onSelect = vi.fn();
    const { container, rerender } = render(
      <Panel {...props(healthySession, healthyTrails, { view: 'requests', onSelect })} />,
    );
    expect(container.querySelectorAll('.req-row')).toHaveLength(2);
    expect(container.querySelectorAll('.hop-row')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: '3 hops #101' }));
    expect(container.querySelectorAll('.hop-row')).toHaveLength(3);
    fireEvent.click(container.querySelector('.req-row') as HTMLElement);
    expect(onSelect).toHaveBeenCalledWith('101', null);
    rerender(
      <Panel
        {...props(healthySession, healthyTrails, {
          view: 'requests',
          onSelect,
          selected: { requestId: '101', hop: 1 },
        })}
      />,
    );
    const detail = container.querySelector('.detail') as HTMLElement;
    expect(detail.querySelector('.pg-clickId')?.textContent).toContain(TRANSACTION_ID);
    expect(detail.querySelector('.pg-sub')?.textContent).toContain('fb_camp7');
    expect(detail.querySelector('.raw')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: strings.showRaw }));
    expect(detail.querySelector('.raw pre')?.textContent).toBe(healthySession.requests[0]?.hops[1]?.url);
  });

  it('a captured postback offers cURL and the builder', () => {
    const onCopyCurl = vi.fn();
    const onOpenBuilder = vi.fn();
    render(
      <Panel
        {...props(saleSession, healthyTrails, {
          view: 'requests',
          onCopyCurl,
          onOpenBuilder,
          selected: { requestId: '130', hop: null },
        })}
      />,
    );
    expect(screen.getByText('Success')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: strings.openInBuilder }));
    expect(onOpenBuilder.mock.calls[0]?.[0]).toContain('/postback?subid=');
    fireEvent.click(screen.getByRole('button', { name: strings.copyCurl }));
    expect(onCopyCurl).toHaveBeenCalledWith(saleSession.requests[2], 0);
  });

  it('10,000 captured requests render only the visible rows', () => {
    const big = makeBigSession(10_000, 12);
    const { container } = render(<Panel {...props(big, [], { view: 'requests', listHeight: 300 })} />);
    expect(container.querySelectorAll('.wl-row').length).toBeLessThan(30);
    expect(screen.getByText('12 requests dropped by the cap of 10,000')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Requests \(10,000\)/ })).toBeTruthy();
  });
});

describe('search', () => {
  it('finds a pasted subid everywhere: request, hop, storage', () => {
    const result = searchSession(healthySession, SUBID);
    const where = result.hits.map((h) => h.where);
    expect(where).toContain('hop');
    expect(where).toContain('observation');
    const { container } = render(
      <Panel {...props(healthySession, healthyTrails, { query: SUBID, search: result })} />,
    );
    expect(container.querySelector('.search-results')?.textContent).toContain(
      strings.searchCount(result.total),
    );
    expect(searchSession(healthySession, 'fb_camp7').hits.map((h) => h.where)).toEqual(['request', 'hop']);
    expect(searchSession(healthySession, 'zzz-nothing').total).toBe(0);
  });
});

describe('replay', () => {
  it('HasOffers "Invalid Trans. ID" answer: rejected, message, caveat, body as text', () => {
    render(<ReplayResult replay={invalidTransReplay} />);
    expect(screen.getByText(strings.verdict.rejected as string)).toBeTruthy();
    expect(screen.getByText(/HasOffers refused the postback: Invalid Trans\. ID #test1\./)).toBeTruthy();
    expect(screen.getByText(/^HTTP 200 is not proof/)).toBeTruthy();
    expect(screen.getByText('success=false; err_msg=Invalid Trans. ID #test1.;')).toBeTruthy();
    expect(screen.getByText(strings.ms(212.4))).toBeTruthy();
  });

  it('money warning before a sale replay with a reused tid, with the safe variants', () => {
    const pb = {
      system: 'keitaro',
      kind: 'postback',
      params: [
        { name: 'subid', value: SUBID },
        { name: 'status', value: 'sale' },
        { name: 'tid', value: 'ORD-1001' },
      ],
    };
    const onConfirm = vi.fn();
    const onUseVariant = vi.fn();
    render(
      <MoneyConfirm
        warnings={moneyWarnings(pb, sentPostbacks(saleSession))}
        variants={safeVariants(pb)}
        onConfirm={onConfirm}
        onCancel={vi.fn()}
        onUseVariant={onUseVariant}
      />,
    );
    expect(screen.getByRole('alertdialog').textContent).toContain('tid ORD-1001 was already sent');
    fireEvent.click(screen.getAllByRole('button', { name: strings.useVariant })[0] as HTMLElement);
    expect(onUseVariant.mock.calls[0]?.[0].id).toBe('test-lead');
    fireEvent.click(screen.getByRole('button', { name: strings.moneyConfirm }));
    expect(onConfirm).toHaveBeenCalled();
  });

  it('lists replays and compares two side by side', () => {
    const [a, b] = saleSession.replays;
    const onToggle = vi.fn();
    const { container } = render(
      <ReplayList
        replays={saleSession.replays}
        compare={['r1', 'r2']}
        comparison={a && b ? compareReplays(a, b) : null}
        onToggleCompare={onToggle}
      />,
    );
    expect(container.querySelectorAll('.replay-list li')).toHaveLength(2);
    expect(container.querySelector('.compare tr.changed')?.textContent).toContain('transaction_id');
    expect(container.querySelector('.line-added')?.textContent).toContain('success=true;');
    fireEvent.click(container.querySelector('.replay-list input') as HTMLElement);
    expect(onToggle).toHaveBeenCalledWith('r2');
  });
});

describe('page data is text, never HTML', () => {
  it(`a hostile value ${HOSTILE} renders as text everywhere`, () => {
    for (const view of ['trail', 'requests', 'diagnostics'] as const) {
      const { container, unmount } = render(
        <Panel
          {...props(hostileSession, hostileTrails, {
            view,
            selected: { requestId: '401', hop: null },
            query: HOSTILE,
            search: searchSession(hostileSession, HOSTILE),
            diagnostics: hostileTrails[0]?.stages[0]?.diagnostics ?? [],
          })}
        />,
      );
      expect(container.querySelector('img')).toBeNull();
      expect(container.querySelector('script')).toBeNull();
      expect(container.querySelector('b')).toBeNull();
      expect(container.textContent).toContain(HOSTILE);
      unmount();
    }
  });
});

describe('keyboard', () => {
  it('arrow keys move between tabs; only the active tab is in the tab order', () => {
    const onView = vi.fn();
    render(<Panel {...props(healthySession, healthyTrails, { onView })} />);
    const trail = screen.getByRole('tab', { name: strings.tabs.trail });
    expect(trail.tabIndex).toBe(0);
    expect(screen.getByRole('tab', { name: /Requests/ }).tabIndex).toBe(-1);
    fireEvent.keyDown(trail, { key: 'ArrowRight' });
    expect(onView).toHaveBeenCalledWith('requests');
    fireEvent.keyDown(trail, { key: 'ArrowLeft' });
    expect(onView).toHaveBeenLastCalledWith('recent');
  });
});

describe('header', () => {
  it('export, clear and pop out are real buttons', () => {
    const onExport = vi.fn();
    const onClear = vi.fn();
    const onPopOut = vi.fn();
    const onOpenSettings = vi.fn();
    render(
      <Panel {...props(healthySession, healthyTrails, { onExport, onClear, onPopOut, onOpenSettings })} />,
    );
    fireEvent.click(screen.getByRole('button', { name: strings.settings }));
    expect(onOpenSettings).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: strings.exportHar }));
    fireEvent.click(screen.getByRole('button', { name: strings.clearThis }));
    fireEvent.click(screen.getByRole('button', { name: strings.popOut }));
    expect(onExport).toHaveBeenCalledWith('har');
    expect(onClear).toHaveBeenCalledWith('session');
    expect(onPopOut).toHaveBeenCalled();
  });

  it('no session yet: says so, and the recent list still opens', () => {
    const onOpenSession = vi.fn();
    const { rerender } = render(<Panel {...props(null)} />);
    expect(screen.getByText(strings.noSession)).toBeTruthy();
    rerender(
      <Panel
        {...props(null, [], {
          view: 'recent',
          onOpenSession,
          recent: [{ id: 's-old', url: 'https://lp.example/', title: 'Old', closedAt: 1, requests: 3 }],
        })}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Old' }));
    expect(onOpenSession).toHaveBeenCalledWith('s-old');
  });
});
