import type { BuilderField, TemplateKind } from '../../components/Builder';
import { strings } from '../../components/strings';
import {
  blankHasoffersForm,
  type HasoffersForm,
  hasoffersFormFromModel,
  hasoffersFormToModel,
  validateHasoffersForm,
} from '../build/hasoffers-form';
import {
  blankKeitaroForm,
  KEITARO_MAX_SUB_IDS,
  type KeitaroForm,
  keitaroFormFromModel,
  keitaroFormToModel,
  validateKeitaroForm,
} from '../build/keitaro-form';
import {
  buildPostbackUrl,
  type FieldError,
  type ModelParam,
  type PostbackModel,
  parsePostbackUrl,
} from '../build/postback-model';
import type { Session, Trail } from '../session/schema';
import type { Settings } from '../settings';
import type { BuilderKit, BuilderView } from './builder-kit';
import type { BuilderInput } from './store';

/**
 * The builder kit over the core's postback model and its Keitaro / HasOffers forms. The URL is
 * the state; the form is read from it and every edit writes it back through the core, which keeps
 * untouched params byte for byte, so unknown params, their order and their encoding survive.
 */

const ADV_SUBS = ['adv_sub', 'adv_sub2', 'adv_sub3', 'adv_sub4', 'adv_sub5'];
const KEITARO_STATUSES = ['lead', 'sale', 'rejected', 'rebill'];
/** Shown in a blank template when the options page has no tracker yet; obviously not real. */
const PLACEHOLDER_TRACKER = 'https://tracker.example';
const PLACEHOLDER_KEY = 'KEY';
const PLACEHOLDER_NETWORK = 'https://network.go2cloud.org';

type Which = 'keitaro' | 'hasoffers' | null;

function which(model: PostbackModel): Which {
  if (model.system === 'keitaro' && model.kind === 'postback') return 'keitaro';
  if (model.system === 'hasoffers' && model.kind === 'postback') return 'hasoffers';
  return null;
}

function messages(errors: FieldError[], field: string): string | undefined {
  const list = errors.filter((e) => e.field === field && e.severity !== 'info').map((e) => e.message);
  return list.length ? list.join(' ') : undefined;
}

function infos(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field && e.severity === 'info')?.message;
}

function field(
  name: string,
  value: string,
  errors: FieldError[],
  formField = name,
  extra: Partial<BuilderField> = {},
): BuilderField {
  return {
    name,
    label: strings.fieldLabels[name] ?? name,
    value,
    error: messages(errors, formField),
    hint: infos(errors, formField) ?? strings.fieldHints[name],
    ...extra,
  };
}

/** Sub-id style fields: the ones present, then one empty for the next. */
function listFields(
  values: string[],
  names: string[],
  errors: FieldError[],
  formField: string,
): BuilderField[] {
  const count = Math.min(names.length, values.length + 1);
  const out: BuilderField[] = [];
  for (let i = 0; i < count; i++) out.push(field(names[i] as string, values[i] ?? '', errors, formField));
  return out;
}

const SUB_ID_NAMES = Array.from({ length: KEITARO_MAX_SUB_IDS }, (_, i) => `sub_id_${i + 1}`);

function keitaroKnown(form: KeitaroForm, model: PostbackModel): Set<string> {
  const known = new Set<string>([
    form.names.subid,
    'status',
    form.names.payout,
    'currency',
    form.names.tid,
    'return',
    ...SUB_ID_NAMES,
  ]);
  // A keyless URL carrying the key as a param: the form shows it as the key.
  if (!/\/[^/]+\/postback\/?$/.test(model.base) || form.key === '') known.add('key');
  return known;
}

function hasoffersKnown(form: HasoffersForm): Set<string> {
  const known = new Set(['offer_id', 'transaction_id', 'goal_id', 'amount', 'security_token', ...ADV_SUBS]);
  if (form.endpoint === 'aff_goal') known.add('a');
  return known;
}

function knownOf(model: PostbackModel): Set<string> {
  const w = which(model);
  if (w === 'keitaro') return keitaroKnown(keitaroFormFromModel(model), model);
  if (w === 'hasoffers') return hasoffersKnown(hasoffersFormFromModel(model));
  return new Set();
}

function view(url: string): BuilderView {
  const model = parsePostbackUrl(url);
  const w = which(model);
  const known = knownOf(model);
  const others = model.params
    .filter((p) => !known.has(p.name) && !(p.name === '' && p.value === ''))
    .map((p) => ({ name: p.name, value: p.value }));
  const postback =
    model.system && model.kind
      ? {
          system: model.system,
          kind: model.kind,
          params: model.params.map((p) => ({ name: p.name, value: p.value })),
        }
      : null;
  if (w === 'keitaro') {
    const form = keitaroFormFromModel(model);
    const errors = validateKeitaroForm(form);
    const fields = [
      field('trackerUrl', form.trackerUrl, errors),
      field('key', form.key, errors),
      field('subid', form.subid, errors, 'subid', {
        label: form.names.subid === 'subid' ? strings.fieldLabels.subid : form.names.subid,
      }),
      field('status', form.status, errors, 'status', { options: KEITARO_STATUSES }),
      field('payout', form.payout, errors, 'payout', { label: form.names.payout }),
      field('currency', form.currency, errors),
      field('tid', form.tid, errors, 'tid', { label: form.names.tid }),
      ...listFields(form.subIds, SUB_ID_NAMES, errors, 'subIds'),
      field('return', form.returnBody, errors, 'returnBody'),
    ];
    return { recognized: 'keitaro postback', fields, others, urlErrors: [], postback };
  }
  if (w === 'hasoffers') {
    const form = hasoffersFormFromModel(model);
    const errors = validateHasoffersForm(form);
    const fields = [
      field('domain', form.domain, errors),
      field('endpoint', form.endpoint, errors, 'endpoint', { options: ['aff_lsr', 'aff_goal'] }),
      field('offerId', form.offerId, errors),
      field('transactionId', form.transactionId, errors),
      ...(form.endpoint === 'aff_goal' || form.goalId !== '' ? [field('goalId', form.goalId, errors)] : []),
      field('amount', form.amount, errors),
      ...listFields(form.advSubs, ADV_SUBS, errors, 'advSubs'),
      field('securityToken', form.securityToken, errors),
    ];
    return { recognized: 'hasoffers postback', fields, others, urlErrors: [], postback };
  }
  return { recognized: null, fields: [], others, urlErrors: [], postback };
}

function setField(url: string, name: string, value: string): string {
  const model = parsePostbackUrl(url);
  const w = which(model);
  if (w === 'keitaro') {
    const form = keitaroFormFromModel(model);
    const sub = SUB_ID_NAMES.indexOf(name);
    if (sub >= 0) {
      const subIds = [...form.subIds];
      while (subIds.length <= sub) subIds.push('');
      subIds[sub] = value;
      form.subIds = subIds;
    } else if (name === 'return') form.returnBody = value;
    else if (name in form && name !== 'names' && name !== 'subIds')
      (form as unknown as Record<string, string>)[name] = value;
    return buildPostbackUrl(keitaroFormToModel(form, model));
  }
  if (w === 'hasoffers') {
    const form = hasoffersFormFromModel(model);
    const adv = ADV_SUBS.indexOf(name);
    if (adv >= 0) {
      const advSubs = [...form.advSubs];
      while (advSubs.length <= adv) advSubs.push('');
      advSubs[adv] = value;
      form.advSubs = advSubs;
    } else if (name === 'endpoint') form.endpoint = value === 'aff_goal' ? 'aff_goal' : 'aff_lsr';
    else if (name in form && name !== 'advSubs') (form as unknown as Record<string, string>)[name] = value;
    return buildPostbackUrl(hasoffersFormToModel(form, model));
  }
  return url;
}

/** Replace the params the form does not show, keeping the form's params where they are. */
function setOthers(url: string, others: { name: string; value: string }[]): string {
  const model = parsePostbackUrl(url);
  const known = knownOf(model);
  const params: ModelParam[] = [];
  let next = 0;
  for (const p of model.params) {
    if (known.has(p.name)) params.push(p);
    else if (p.name === '' && p.value === '') continue;
    else {
      const o = others[next++];
      if (o)
        params.push(o.name === p.name && o.value === p.value ? p : { ...p, name: o.name, value: o.value });
    }
  }
  for (const o of others.slice(next)) params.push({ name: o.name, value: o.value });
  return buildPostbackUrl({ ...model, params });
}

/** The URL with exactly these params, reusing each unchanged param's text as written. */
function withParams(url: string, list: { name: string; value: string }[]): string {
  const model = parsePostbackUrl(url);
  const pool = [...model.params];
  const params: ModelParam[] = list.map((p) => {
    const i = pool.findIndex((q) => q.name === p.name && q.value === p.value);
    if (i < 0) return { name: p.name, value: p.value };
    const [same] = pool.splice(i, 1);
    return same as ModelParam;
  });
  return buildPostbackUrl({ ...model, params });
}

function trailIds(trail: Trail | undefined) {
  const real = (trail?.ids ?? []).filter((i) => !i.macro && i.value !== '');
  return {
    subid: real.find((i) => i.system === 'keitaro' && i.role === 'click')?.value ?? '',
    // HasOffers as a Keitaro traffic source hands its transaction_id over as the campaign link's
    // external_id [K10][K13]: when no id is named transaction_id, that is the one aff_lsr needs.
    transactionId:
      real.find((i) => i.role === 'transaction')?.value ??
      real.find((i) => i.role === 'external')?.value ??
      '',
  };
}

/**
 * Where the tracker is when the options page does not say: a Keitaro postback captured in this
 * session gives the tracker and the key; the hop that redirected to a Keitaro landing, or any
 * other Keitaro request (campaign link, `_lp` link, `_update_tokens`), gives the tracker's origin.
 */
function trackerFromSession(session: Session | undefined): { trackerUrl: string; key: string } | null {
  if (!session) return null;
  let origin: string | null = null;
  const originOf = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return null;
    }
  };
  for (const r of session.requests) {
    for (const [i, h] of r.hops.entries()) {
      const rec = h.recognition;
      // The hop that redirected to a Keitaro landing with ?subid= is the tracker's campaign link.
      if (rec?.system === 'keitaro' && rec.kind === 'landing' && i > 0 && !origin)
        origin = originOf(r.hops[i - 1]?.url ?? '');
      if (rec?.system !== 'keitaro' || rec.kind === 'landing') continue;
      if (rec.kind === 'postback') {
        const form = keitaroFormFromModel(parsePostbackUrl(h.url));
        if (form.trackerUrl && form.key) return { trackerUrl: form.trackerUrl, key: form.key };
      }
      if (!origin) origin = originOf(h.url);
    }
  }
  return origin ? { trackerUrl: origin, key: '' } : null;
}

function keitaroTemplate(settings: Settings, subid = '', session?: Session): string {
  const seen = settings.trackerUrl ? null : trackerFromSession(session);
  const form: KeitaroForm = {
    ...blankKeitaroForm(),
    trackerUrl: settings.trackerUrl || seen?.trackerUrl || PLACEHOLDER_TRACKER,
    key: settings.postbackKey || seen?.key || PLACEHOLDER_KEY,
    subid,
    status: 'lead',
  };
  return buildPostbackUrl(keitaroFormToModel(form));
}

/** The network's origin and offer id as the session saw them: the HasOffers click (aff_c) the chain started with. */
function networkFromSession(session?: Session): { domain: string; offerId: string } | null {
  for (const r of session?.requests ?? []) {
    for (const h of r.hops) {
      const rec = h.recognition;
      if (rec?.system !== 'hasoffers') continue;
      try {
        return { domain: new URL(h.url).origin, offerId: rec.fields.offer_id ?? '' };
      } catch {
        // a hop URL that does not parse names no network
      }
    }
  }
  return null;
}

function hasoffersTemplate(
  kind: 'aff_lsr' | 'aff_goal',
  settings: Settings,
  transactionId = '',
  session?: Session,
): string {
  const seen = settings.hasoffersDomain ? null : networkFromSession(session);
  const form: HasoffersForm = {
    ...blankHasoffersForm(),
    domain: settings.hasoffersDomain
      ? `https://${settings.hasoffersDomain}`
      : (seen?.domain ?? PLACEHOLDER_NETWORK),
    endpoint: kind,
    offerId: settings.offerIds[0] ?? seen?.offerId ?? '',
    transactionId,
  };
  return buildPostbackUrl(hasoffersFormToModel(form));
}

function template(kind: TemplateKind, settings: Settings, trail?: Trail, session?: Session): string {
  const ids = trailIds(trail);
  return kind === 'keitaro'
    ? keitaroTemplate(settings, ids.subid, session)
    : hasoffersTemplate(kind, settings, ids.transactionId, session);
}

/**
 * "Rebuild and replay" from a trail: the postback the landing's server would have sent — Keitaro's,
 * with the landing's subid and status=lead (the safe status) — or, when the trail has only a
 * HasOffers transaction id, the network's aff_lsr with it.
 */
function prefill(trail: Trail, settings: Settings, session?: Session): BuilderInput {
  const ids = trailIds(trail);
  const url =
    ids.subid || !ids.transactionId
      ? keitaroTemplate(settings, ids.subid, session)
      : hasoffersTemplate('aff_lsr', settings, ids.transactionId, session);
  return { url, method: 'GET', origin: 'trail' };
}

export const builderKit: BuilderKit = { view, setField, setOthers, withParams, template, prefill };
