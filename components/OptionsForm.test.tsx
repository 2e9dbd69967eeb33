// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OptionsApp } from '../entrypoints/options/OptionsApp';
import { fromForm, toForm } from '../utils/panel/settings-form';
import { DEFAULT_SETTINGS, type Settings } from '../utils/settings';
import { strings } from './strings';

afterEach(cleanup);

describe('settings form ↔ Settings', () => {
  it('round-trips', () => {
    const s: Settings = {
      ...DEFAULT_SETTINGS,
      trackerUrl: 'https://tracker.example',
      postbackKey: 'e89bcbe',
      hasoffersDomain: 'demo.go2cloud.org',
      offerIds: ['12', '13'],
      captureDisabledSites: ['mail.example', 'bank.example'],
    };
    expect(fromForm(toForm(s))).toEqual({ ok: true, settings: s });
  });

  it('puts each error next to its field', () => {
    const f = {
      ...toForm(DEFAULT_SETTINGS),
      trackerUrl: 'tracker.example',
      postbackKey: 'e89/bcbe',
      hasoffersDomain: 'https://demo.go2cloud.org/',
      offerIds: '12, abc',
      requestsPerTab: '5',
      recentSessions: 'many',
    };
    const r = fromForm(f);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.trackerUrl).toMatch(/http\(s\) URL/);
    expect(r.errors.postbackKey).toMatch(/one path segment/);
    expect(r.errors.hasoffersDomain).toMatch(/no scheme, no path/);
    expect(r.errors.offerIds).toBe('Offer ids are numbers (“abc”)');
    expect(r.errors.requestsPerTab).toMatch(/10/);
    expect(r.errors.recentSessions).toBe('Enter a whole number');
    expect(r.errors.captureDisabledSites).toBeUndefined();
  });
});

describe('options page', () => {
  it('loads, shows field errors beside the fields, and saves only valid settings', async () => {
    const save = vi.fn(async (_s: Settings) => {});
    const load = vi.fn(async () => ({ ...DEFAULT_SETTINGS, postbackKey: 'e89bcbe' }));
    render(<OptionsApp load={load} save={save} />);
    const key = (await screen.findByDisplayValue('e89bcbe')) as HTMLInputElement;
    const url = screen.getByLabelText(strings.trackerUrl) as HTMLInputElement;
    fireEvent.input(url, { target: { value: 'ftp://tracker.example' } });
    fireEvent.click(screen.getByRole('button', { name: strings.save }));
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    const err = document.getElementById('o-trackerUrl-error');
    expect(err?.textContent).toMatch(/http\(s\) URL/);
    expect(url.getAttribute('aria-describedby')).toContain('o-trackerUrl-error');
    expect(save).not.toHaveBeenCalled();

    fireEvent.input(url, { target: { value: 'https://tracker.example/' } });
    fireEvent.click(screen.getByRole('button', { name: strings.save }));
    await waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0]?.[0]).toMatchObject({
      trackerUrl: 'https://tracker.example',
      postbackKey: 'e89bcbe',
    });
    expect(await screen.findByText(strings.saved)).toBeTruthy();
    expect(key.value).toBe('e89bcbe');
  });
});
