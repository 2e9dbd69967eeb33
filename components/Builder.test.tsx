// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BuilderSection } from '../entrypoints/popup/BuilderSection';
import type { Message } from '../utils/messages';
import { builderKit } from '../utils/panel/builder';
import { createStaticSource } from '../utils/panel/source';
import { createPanelStore } from '../utils/panel/store';
import type { Replay } from '../utils/session/schema';
import { DEFAULT_SETTINGS } from '../utils/settings';
import {
  acceptedKeitaroMeaning,
  HOSTILE,
  healthyTrails,
  KEY,
  SUBID,
  saleSession,
  T0,
} from './fixtures/sessions';
import { strings } from './strings';

afterEach(cleanup);

const PB = `https://tracker.example/${KEY}/postback?subid=${SUBID}&status=lead&from=Tune.com&x=%7Bodd%7D+y`;

async function setup(url = PB) {
  const sent: Message[] = [];
  const source = createStaticSource({
    sessions: [saleSession],
    settings: { ...DEFAULT_SETTINGS, trackerUrl: 'https://tracker.example', postbackKey: KEY },
    send: async (m) => {
      sent.push(m);
      if (m.type !== 'replay') return { ok: true, data: null };
      const replay: Replay = {
        id: `replay-${sent.length}`,
        at: T0,
        request: { url: m.url, method: m.method, body: m.body, withCookies: m.withCookies },
        response: {
          status: 200,
          statusText: 'OK',
          headers: [{ name: 'content-type', value: 'text/html' }],
          body: 'Success',
          truncated: false,
          ms: 95,
        },
        meaning: acceptedKeitaroMeaning,
      };
      return { ok: true, data: replay };
    },
  });
  const store = createPanelStore(source);
  await store.getState().init({ sessionId: saleSession.id });
  store.getState().openBuilder({ url, method: 'GET', origin: 'paste' });
  const utils = render(<BuilderSection store={store} kit={builderKit} trails={healthyTrails} />);
  const urlBox = () => screen.getByLabelText(strings.urlLabel) as HTMLTextAreaElement;
  return { ...utils, store, sent, urlBox };
}

describe('builder', () => {
  it('form → URL and URL → form, live, unknown params kept', async () => {
    const { urlBox, store } = await setup();
    const status = screen.getByLabelText('status') as HTMLInputElement;
    expect(status.value).toBe('lead');
    fireEvent.input(status, { target: { value: 'sale' } });
    expect(urlBox().value).toBe(PB.replace('status=lead', 'status=sale'));
    expect(store.getState().builder?.url).toBe(urlBox().value);

    fireEvent.input(urlBox(), { target: { value: PB.replace(SUBID, 'o2q6e42hs08jq') } });
    expect((screen.getByLabelText(strings.fieldLabels.subid as string) as HTMLInputElement).value).toBe(
      'o2q6e42hs08jq',
    );

    const from = screen.getByLabelText(`${strings.paramValue} from`) as HTMLInputElement;
    expect(from.value).toBe('Tune.com');
    expect((screen.getByLabelText(`${strings.paramValue} x`) as HTMLInputElement).value).toBe('{odd} y');
    fireEvent.input(from, { target: { value: 'HasOffers' } });
    expect(urlBox().value).toContain('from=HasOffers&x=%7Bodd%7D+y');
  });

  it('shows validation messages next to the fields', async () => {
    await setup(`https://tracker.example/${KEY}/postback?subid={subid}&status=registratered`);
    const subid = screen.getByLabelText(strings.fieldLabels.subid as string);
    expect(subid.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('f-subid-error')?.textContent).toMatch(/placeholder/);
    expect(document.getElementById('f-status-error')?.textContent).toMatch(/Did you mean/);
  });

  it('a non-postback URL says so', async () => {
    await setup('https://lp.example/thanks');
    expect(screen.getByText(strings.notAPostback)).toBeTruthy();
  });

  it('a sale replay with a reused tid asks first; a safe variant replaces the URL; confirm sends it', async () => {
    const { urlBox, sent } = await setup(
      `https://tracker.example/${KEY}/postback?subid=${SUBID}&status=sale&payout=25&tid=ORD-1001`,
    );
    fireEvent.click(screen.getByRole('button', { name: strings.replay }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('tid ORD-1001 was already sent');
    expect(sent).toHaveLength(0);

    fireEvent.click(screen.getAllByRole('button', { name: strings.useVariant })[1] as HTMLElement);
    expect(urlBox().value).toBe(
      `https://tracker.example/${KEY}/postback?subid=postback-lens-test&status=lead&return=postback-lens-echo`,
    );
    expect(screen.queryByRole('alertdialog')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: strings.replay }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      type: 'replay',
      sessionId: saleSession.id,
      method: 'GET',
      withCookies: false,
    });
    expect(await screen.findByText(acceptedKeitaroMeaning.message, { exact: false })).toBeTruthy();
  });

  it('confirming the money step sends exactly the built URL, with cookies only when ticked', async () => {
    const url = `https://tracker.example/${KEY}/postback?subid=${SUBID}&status=sale&payout=25&tid=ORD-1001`;
    const { sent } = await setup(url);
    fireEvent.click(screen.getByLabelText(strings.sendWithCookies));
    fireEvent.click(screen.getByRole('button', { name: strings.replay }));
    fireEvent.click(screen.getByRole('button', { name: strings.moneyConfirm }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      type: 'replay',
      sessionId: saleSession.id,
      url,
      method: 'GET',
      body: undefined,
      withCookies: true,
    });
    expect(await screen.findByText('Success')).toBeTruthy();
  });

  it('blank templates for Keitaro and HasOffers, prefilled from settings and the trail', async () => {
    const { urlBox } = await setup('');
    expect(screen.getByText(strings.builderEmpty)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: strings.blankKeitaro }));
    expect(urlBox().value).toBe(`https://tracker.example/${KEY}/postback?subid=${SUBID}&status=lead`);
    fireEvent.click(screen.getByRole('button', { name: strings.blankAffLsr }));
    expect(urlBox().value).toContain('/aff_lsr?transaction_id=1027c887059b47bc69c699f45466b9');
  });

  it('starts from a captured postback', async () => {
    const { urlBox } = await setup('');
    const select = screen.getByLabelText(`${strings.fromCapture}:`, { exact: false }) as HTMLSelectElement;
    act(() => {
      fireEvent.change(select, { target: { value: '0' } });
    });
    expect(urlBox().value).toContain(`/${KEY}/postback?subid=${SUBID}&status=sale`);
  });

  it('hostile values stay text', async () => {
    await setup(
      `https://tracker.example/${KEY}/postback?subid=${encodeURIComponent(HOSTILE)}&x=${encodeURIComponent(HOSTILE)}`,
    );
    expect(document.querySelector('img')).toBeNull();
    expect((screen.getByLabelText(`${strings.paramValue} x`) as HTMLInputElement).value).toBe(HOSTILE);
  });
});
