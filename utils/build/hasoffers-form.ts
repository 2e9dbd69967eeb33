import { detectMacro } from '../recognize/macros';
import { splitUrl } from '../url/split-url';
import { splitBase, type ValidateOptions } from './keitaro-form';
import { type FieldError, getParam, type PostbackModel, removeParam, setParam } from './postback-model';

/**
 * The HasOffers conversion form: `NETWORK/aff_lsr?offer_id=&transaction_id=&amount=&adv_sub=&security_token=`
 * or `NETWORK/aff_goal?a=lsr&goal_id=&transaction_id=…` [T1][T12][G13].
 */

export type HasoffersEndpoint = 'aff_lsr' | 'aff_goal';

export interface HasoffersForm {
  /** `https://network.go2cloud.org` or the network's own tracking domain. */
  domain: string;
  endpoint: HasoffersEndpoint;
  offerId: string;
  transactionId: string;
  goalId: string;
  amount: string;
  /** `advSubs[0]` is `adv_sub`, then `adv_sub2`…`adv_sub5` [T5]. */
  advSubs: string[];
  /** Advertiser security token [T12]. */
  securityToken: string;
}

const ADV_SUB_NAMES = ['adv_sub', 'adv_sub2', 'adv_sub3', 'adv_sub4', 'adv_sub5'];

export function blankHasoffersForm(): HasoffersForm {
  return {
    domain: '',
    endpoint: 'aff_lsr',
    offerId: '',
    transactionId: '',
    goalId: '',
    amount: '',
    advSubs: [],
    securityToken: '',
  };
}

/** The advertiser's server postback as HasOffers shows it, macros for the advertiser to fill [T1]. */
export const HASOFFERS_POSTBACK_TEMPLATE =
  'https://network.go2cloud.org/aff_lsr?offer_id=OFFER_ID&transaction_id={transaction_id}&amount={amount}&adv_sub={order_id}';

/** Reads a model into the form. */
export function hasoffersFormFromModel(model: PostbackModel): HasoffersForm {
  const form = blankHasoffersForm();
  const { origin, path } = splitBase(model.base);
  const m = /^(?<prefix>.*)\/(?<endpoint>aff_lsr|aff_goal)\/?$/.exec(path);
  form.domain = m?.groups !== undefined ? origin + (m.groups.prefix ?? '') : model.base.replace(/\/+$/, '');
  form.endpoint = m?.groups?.endpoint === 'aff_goal' ? 'aff_goal' : 'aff_lsr';
  form.offerId = getParam(model, 'offer_id') ?? '';
  form.transactionId = getParam(model, 'transaction_id') ?? '';
  form.goalId = getParam(model, 'goal_id') ?? '';
  form.amount = getParam(model, 'amount') ?? '';
  form.securityToken = getParam(model, 'security_token') ?? '';
  const advSubs: string[] = [];
  ADV_SUB_NAMES.forEach((name, i) => {
    const v = getParam(model, name);
    if (v !== undefined) advSubs[i] = v;
  });
  form.advSubs = Array.from(advSubs, (v) => v ?? '');
  return form;
}

function apply(model: PostbackModel, name: string, before: string, after: string): PostbackModel {
  if (before === after) return model;
  return after === '' ? removeParam(model, name) : setParam(model, name, after);
}

/** Writes the form into a model; with `previous`, only changed fields touch the URL. */
export function hasoffersFormToModel(form: HasoffersForm, previous?: PostbackModel): PostbackModel {
  const fresh = previous === undefined;
  const before = fresh ? blankHasoffersForm() : hasoffersFormFromModel(previous);
  let model: PostbackModel = previous ?? {
    system: 'hasoffers',
    kind: 'postback',
    base: '',
    params: [],
    hash: null,
  };
  if (fresh || before.domain !== form.domain || before.endpoint !== form.endpoint) {
    model = { ...model, base: `${form.domain.trim().replace(/\/+$/, '')}/${form.endpoint}` };
  }
  if (form.endpoint === 'aff_goal') {
    // `a=lsr` makes aff_goal a server postback; `a=l` would be the browser pixel [G13].
    if (getParam(model, 'a') !== 'lsr') model = setParam(model, 'a', 'lsr');
  } else if (!fresh && before.endpoint === 'aff_goal') {
    model = removeParam(model, 'a');
  }
  model = apply(model, 'offer_id', fresh ? '' : before.offerId, form.offerId);
  model = apply(model, 'transaction_id', fresh ? '' : before.transactionId, form.transactionId);
  model = apply(model, 'goal_id', fresh ? '' : before.goalId, form.goalId);
  model = apply(model, 'amount', fresh ? '' : before.amount, form.amount);
  for (let i = 0; i < ADV_SUB_NAMES.length; i++) {
    model = apply(
      model,
      ADV_SUB_NAMES[i] as string,
      fresh ? '' : (before.advSubs[i] ?? ''),
      form.advSubs[i] ?? '',
    );
  }
  model = apply(model, 'security_token', fresh ? '' : before.securityToken, form.securityToken);
  return { ...model, system: 'hasoffers', kind: 'postback' };
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** Field problems, errors first. */
export function validateHasoffersForm(form: HasoffersForm, opts?: ValidateOptions): FieldError[] {
  const out: FieldError[] = [];
  const template = opts?.template === true;
  const macroOk = (value: string) => template && detectMacro(value) !== null;
  const domain = form.domain.trim();
  const parts = splitUrl(domain);
  if (domain === '') {
    out.push({
      field: 'domain',
      severity: 'error',
      message: 'Enter the network tracking domain, e.g. https://network.go2cloud.org.',
    });
  } else if (
    parts === null ||
    (parts.scheme !== 'http' && parts.scheme !== 'https') ||
    parts.query !== null
  ) {
    out.push({
      field: 'domain',
      severity: 'error',
      message: 'The domain must be http(s)://host with no ? or # part.',
    });
  }
  const tid = form.transactionId.trim();
  if (tid === '') {
    out.push({
      field: 'transactionId',
      severity: 'error',
      message:
        'Enter the transaction_id HasOffers created at the click: without it the conversion cannot be matched.',
    });
  } else if (detectMacro(tid) !== null && !macroOk(tid)) {
    out.push({
      field: 'transactionId',
      severity: 'error',
      message: `${tid} is a placeholder, not a transaction id: HasOffers answers "Invalid Trans. ID".`,
    });
  }
  const offer = form.offerId.trim();
  if (offer !== '' && !macroOk(offer) && !/^\d+$/.test(offer)) {
    out.push({ field: 'offerId', severity: 'warning', message: 'HasOffers offer ids are numbers.' });
  }
  const goal = form.goalId.trim();
  if (form.endpoint === 'aff_goal' && goal === '') {
    out.push({ field: 'goalId', severity: 'error', message: 'A goal postback (aff_goal) needs goal_id.' });
  } else if (goal !== '' && !macroOk(goal) && !/^\d+$/.test(goal)) {
    out.push({ field: 'goalId', severity: 'warning', message: 'HasOffers goal ids are numbers.' });
  }
  const amount = form.amount.trim();
  if (amount !== '' && !macroOk(amount) && !NUMBER.test(amount)) {
    out.push({
      field: 'amount',
      severity: 'error',
      message: 'The amount must be a number with a dot, such as 49.90.',
    });
  }
  if (form.securityToken.trim() === '') {
    out.push({
      field: 'securityToken',
      severity: 'info',
      message:
        'No security_token: if the advertiser security token is on for this offer, the conversion is recorded as rejected.',
    });
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
