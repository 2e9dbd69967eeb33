// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PanelApp, type PanelAppDerive, type PanelAppProps } from '../entrypoints/popup/App';
import type { Message } from '../utils/messages';
import { precomputed } from '../utils/panel/precomputed';
import { createStaticSource } from '../utils/panel/source';
import type { Session } from '../utils/session/schema';
import {
  brokenSession,
  brokenTrails,
  browserPostback,
  healthySession,
  healthyTrails,
  invalidTransReplay,
  makeBigSession,
} from './fixtures/sessions';
import { strings } from './strings';

afterEach(cleanup);

const derive: PanelAppProps['derive'] = {
  buildTrails: (s) =>
    s.id === brokenSession.id ? brokenTrails : s.id.startsWith('s-healthy') ? healthyTrails : [],
  diagnoseSession: () => [],
  diagnoseUrl: () => [],
  meaningOf: () => null,
  limits: [],
};

function setup(sessions: Session[], target: PanelAppProps['target'], reply?: (m: Message) => unknown) {
  const source = createStaticSource({
    sessions,
    send: async (m) => ({ ok: true, data: reply?.(m) ?? null }),
  });
  const host = {
    copy: vi.fn(async (_text: string) => {}),
    download: vi.fn(),
    confirm: vi.fn(() => true),
    onRendered: vi.fn(),
    popOut: vi.fn(),
  };
  const prefill = vi.fn(() => ({
    url: 'https://tracker.example/e89bcbe/postback?subid=x',
    method: 'GET' as const,
    origin: 'trail' as const,
  }));
  const utils = render(
    <PanelApp
      source={source}
      derive={derive}
      target={target}
      host={host}
      builder={{ render: (store) => <p class="builder-slot">{store.getState().builder?.url}</p>, prefill }}
    />,
  );
  return { ...utils, source, host, prefill };
}

describe('PanelApp (container)', () => {
  it('finds the tab’s live session, renders the trail, then says it rendered', async () => {
    const { host } = setup([healthySession, brokenSession], { tabId: healthySession.tabId });
    expect(await screen.findByText(strings.sentInvisible)).toBeTruthy();
    await waitFor(() => expect(host.onRendered).toHaveBeenCalledTimes(1));
  });

  it('opens a recent session by id', async () => {
    const closed = { ...brokenSession, closedAt: brokenSession.updatedAt };
    setup([closed], { sessionId: closed.id });
    expect(await screen.findByText(/Tab closed/)).toBeTruthy();
    expect(screen.getByText(/stored it nowhere/)).toBeTruthy();
  });

  it('stays live: a storage change shows at once', async () => {
    const { source } = setup([healthySession], { tabId: healthySession.tabId });
    expect(await screen.findByRole('tab', { name: /Requests \(2\)/ })).toBeTruthy();
    act(() => source.update({ ...healthySession, requests: [...healthySession.requests, browserPostback] }));
    expect(await screen.findByRole('tab', { name: /Requests \(3\)/ })).toBeTruthy();
  });

  it('derivations that load after the first paint: the preview shows at once, the whole session waits for them', async () => {
    const preview: Session = { ...healthySession, requests: healthySession.requests.slice(-1) };
    precomputed.set(preview, { trails: healthyTrails, diagnostics: [] });
    const base = createStaticSource({ sessions: [healthySession] });
    const source = { ...base, loadPreview: async () => preview };
    const buildTrails = vi.fn((_s: Session) => healthyTrails);
    let arrive: (d: PanelAppDerive) => void = () => {};
    const later = new Promise<PanelAppDerive>((r) => {
      arrive = r;
    });
    const host = { copy: vi.fn(async () => {}), download: vi.fn(), confirm: () => true, onRendered: vi.fn() };
    render(
      <PanelApp
        source={source}
        derive={later}
        target={{ tabId: healthySession.tabId }}
        host={host}
        builder={{ render: () => null, prefill: () => ({ url: '', method: 'GET', origin: 'trail' }) }}
      />,
    );
    expect(await screen.findByText(strings.sentInvisible)).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Requests \(1\)/ })).toBeTruthy();
    await waitFor(() => expect(host.onRendered).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByRole('tab', { name: strings.tabs.diagnostics }));
    expect(await screen.findByText(strings.loading)).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByRole('tab', { name: /Requests \(1\)/ })).toBeTruthy();
    expect(buildTrails).not.toHaveBeenCalled();

    act(() => arrive({ ...derive, buildTrails }));
    expect(await screen.findByRole('tab', { name: /Requests \(2\)/ })).toBeTruthy();
    expect(await screen.findByText(strings.noDiagnostics)).toBeTruthy();
    expect(buildTrails).toHaveBeenCalledWith(healthySession);
  });

  it('"Rebuild and replay" opens the builder prefilled from the trail and settings', async () => {
    const { prefill, container } = setup([healthySession], { tabId: healthySession.tabId });
    fireEvent.click(await screen.findByRole('button', { name: strings.rebuildAndReplay }));
    expect(prefill).toHaveBeenCalledWith(
      healthyTrails[0],
      expect.objectContaining({ caps: expect.any(Object) }),
      healthySession,
    );
    await waitFor(() =>
      expect(container.querySelector('.builder-slot')?.textContent).toBe(
        'https://tracker.example/e89bcbe/postback?subid=x',
      ),
    );
  });

  it('export: JSON through the export-session message, HAR and the report built here', async () => {
    const { host, source } = setup([healthySession], { tabId: healthySession.tabId }, (m) =>
      m.type === 'export-session' ? { format: 'postback-lens/session', version: 1 } : null,
    );
    fireEvent.click(await screen.findByRole('button', { name: strings.exportJson }));
    await waitFor(() => expect(host.download).toHaveBeenCalledTimes(1));
    // Opened on a tab, the panel first asked that tab to read its page again.
    expect(source.sent[0]).toEqual({ type: 'rescan-tab', tabId: healthySession.tabId });
    expect(source.sent[1]).toEqual({
      type: 'export-session',
      sessionId: healthySession.id,
      tabId: undefined,
    });
    expect(host.download.mock.calls[0]?.[0]).toMatch(/^postback-lens-lp\.example-.*\.json$/);
    expect(JSON.parse(host.download.mock.calls[0]?.[1] as string)).toEqual({
      format: 'postback-lens/session',
      version: 1,
    });
    fireEvent.click(screen.getByRole('button', { name: strings.exportHar }));
    await waitFor(() => expect(host.download).toHaveBeenCalledTimes(2));
    expect(JSON.parse(host.download.mock.calls[1]?.[1] as string).log.version).toBe('1.2');
    fireEvent.click(screen.getByRole('button', { name: strings.exportReport }));
    await waitFor(() => expect(host.copy).toHaveBeenCalled());
    expect(host.copy.mock.calls[0]?.[0]).toContain('# Postback Lens report');
  });

  it('clear this session / all go through the clear-sessions message', async () => {
    const { source, host } = setup([healthySession], { tabId: healthySession.tabId }, () => ({ cleared: 1 }));
    fireEvent.click(await screen.findByRole('button', { name: strings.clearThis }));
    fireEvent.click(screen.getByRole('button', { name: strings.clearAll }));
    await waitFor(() => expect(source.sent).toHaveLength(3));
    expect(source.sent).toEqual([
      { type: 'rescan-tab', tabId: healthySession.tabId },
      { type: 'clear-sessions', sessionId: healthySession.id },
      { type: 'clear-sessions', sessionId: undefined },
    ]);
    expect(host.confirm).toHaveBeenCalledWith(strings.confirmClearAll);
  });

  it('copy as cURL from a request', async () => {
    const s = { ...healthySession, requests: [browserPostback] };
    const { host } = setup([s], { tabId: s.tabId });
    fireEvent.click(await screen.findByRole('tab', { name: /Requests/ }));
    fireEvent.click(document.querySelector('.req-row') as HTMLElement);
    fireEvent.click(await screen.findByRole('button', { name: strings.copyCurl }));
    await waitFor(() => expect(host.copy).toHaveBeenCalled());
    expect(host.copy.mock.calls[0]?.[0]).toBe(`curl '${browserPostback.hops[0]?.url}'`);
  });

  it('pop out names the target', async () => {
    const { host } = setup([healthySession], { tabId: healthySession.tabId });
    fireEvent.click(await screen.findByRole('button', { name: strings.popOut }));
    expect(host.popOut).toHaveBeenCalledWith({ tabId: healthySession.tabId });
  });

  it('no session for the tab: says so and still renders', async () => {
    const { host } = setup([], { tabId: 99 });
    expect(await screen.findByText(strings.noSession)).toBeTruthy();
    await waitFor(() => expect(host.onRendered).toHaveBeenCalled());
  });

  it('replays list compares two', async () => {
    const s = {
      ...healthySession,
      replays: [
        invalidTransReplay,
        { ...invalidTransReplay, id: 'r9', response: null, error: 'timeout', meaning: null },
      ],
    };
    setup([s], { tabId: s.tabId });
    fireEvent.click(await screen.findByRole('tab', { name: /Replays \(2\)/ }));
    for (const box of document.querySelectorAll('.replay-list input')) fireEvent.click(box);
    expect(await screen.findByText('failed: timeout')).toBeTruthy();
  });

  it('opens 10,000 requests and shows only visible rows', async () => {
    const big = makeBigSession();
    const { host } = setup([big], { tabId: big.tabId });
    fireEvent.click(await screen.findByRole('tab', { name: /Requests \(10,000\)/ }));
    expect(document.querySelectorAll('.wl-row').length).toBeLessThan(40);
    await waitFor(() => expect(host.onRendered).toHaveBeenCalled());
  });
});
