import { describe, expect, it } from 'vitest';
import { healthySession, healthyTrails } from '../../components/fixtures/sessions';
import type { Session } from '../session/schema';
import { precomputed } from './precomputed';
import { createStaticSource } from './source';
import { createPanelStore, createSelectors } from './store';

describe('panel store with a preview', () => {
  it('paints from the preview first, then shows the whole session', async () => {
    const full: Session = healthySession;
    const preview: Session = { ...full, requests: full.requests.slice(-1) };
    precomputed.set(preview, { trails: healthyTrails, diagnostics: [] });
    let releaseFull: () => void = () => {};
    const fullLoaded = new Promise<void>((r) => {
      releaseFull = r;
    });
    const base = createStaticSource({ sessions: [full] });
    const seen: Array<Session | null> = [];
    const store = createPanelStore({
      ...base,
      loadPreview: async () => preview,
      loadSession: async (id) => {
        await fullLoaded;
        return base.loadSession(id);
      },
    });
    store.subscribe((s) => seen.push(s.session));
    const init = store.getState().init({ sessionId: full.id });
    await new Promise((r) => setTimeout(r, 10));
    expect(store.getState().status).toBe('ready');
    expect(store.getState().session).toBe(preview);
    const selectors = createSelectors({
      buildTrails: () => {
        throw new Error('the preview brings its trails');
      },
      diagnoseSession: () => [],
      diagnoseUrl: () => [],
    });
    expect(selectors.trails(preview)).toBe(healthyTrails);
    releaseFull();
    await init;
    expect(store.getState().session).toBe(full);
    expect(seen).toContain(preview);
  });
});
