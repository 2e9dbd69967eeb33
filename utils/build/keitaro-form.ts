import { parseStatus, suggestStatus } from '../diagnose/parse-status';
import { detectMacro } from '../recognize/macros';
import { KEITARO_PAYOUT_ALIASES, KEITARO_SUBID_ALIASES, KEITARO_TID_ALIASES } from '../systems/keitaro';
import { splitUrl } from '../url/split-url';
import { type FieldError, getParam, type PostbackModel, removeParam, setParam } from './postback-model';

/**
 * The Keitaro postback form: `TRACKER/KEY/postback?subid=&status=&payout=&currency=&tid=&sub_id_N=&return=`
 * [K1][K2]. Form ↔ model both ways; params the form does not show stay in the model as they are.
 */

export interface KeitaroForm {
  /** `https://tracker.example` (scheme, host, and a path prefix if Keitaro lives under one). */
  trackerUrl: string;
  /** Postback key, the path segment before `/postback` [K1][L1]. */
  key: string;
  subid: string;
  status: string;
  payout: string;
  currency: string;
  tid: string;
  /** `subIds[0]` is `sub_id_1`; up to 30 [K6]. Empty strings are absent params. */
  subIds: string[];
  /** `return=`: the body Keitaro answers with instead of `Success` [K1][K2]. */
  returnBody: string;
  /** Which alias carries subid / payout / tid in the URL (`clickid`, `revenue`, `transaction_id` …) [L2]. */
  names: { subid: string; payout: string; tid: string };
}

/** Up to 30 sub ids: the update-params doc's limit [K6] (postback docs say 15 [K1][K2]). */
export const KEITARO_MAX_SUB_IDS = 30;

export function blankKeitaroForm(): KeitaroForm {
  return {
    trackerUrl: '',
    key: '',
    subid: '',
    status: 'lead',
    payout: '',
    currency: '',
    tid: '',
    subIds: [],
    returnBody: '',
    names: { subid: 'subid', payout: 'payout', tid: 'tid' },
  };
}

/** A template to start from: the macros a network fills in (HasOffers shown) [O2]. */
export const KEITARO_POSTBACK_TEMPLATE =
  'https://tracker.example/KEY/postback?subid={aff_click_id}&status=lead&payout={payout}&currency={currency}&tid={transaction_id}';

function firstPresent(model: PostbackModel, names: readonly string[]): string | undefined {
  return names.find((n) => getParam(model, n) !== undefined);
}

/** `https://host/a/b` → origin `https://host`, path `/a/b` (as written). */
export function splitBase(base: string): { origin: string; path: string } {
  const scheme = base.indexOf('//');
  const slash = base.indexOf('/', scheme === -1 ? 0 : scheme + 2);
  return slash === -1
    ? { origin: base, path: '' }
    : { origin: base.slice(0, slash), path: base.slice(slash) };
}

const KEYED = /^(?<prefix>.*)\/(?<key>[^/]+)\/postback\/?$/;
const KEYLESS = /^(?<prefix>.*)\/postback\/?$/;

/** Reads a model into the form. */
export function keitaroFormFromModel(model: PostbackModel): KeitaroForm {
  const form = blankKeitaroForm();
  form.status = getParam(model, 'status') ?? '';
  const { origin, path } = splitBase(model.base);
  const keyed = KEYED.exec(path);
  const keyless = keyed === null ? KEYLESS.exec(path) : null;
  if (keyed?.groups !== undefined) {
    form.trackerUrl = origin + (keyed.groups.prefix ?? '');
    form.key = keyed.groups.key ?? '';
  } else if (keyless?.groups !== undefined) {
    form.trackerUrl = origin + (keyless.groups.prefix ?? '');
    form.key = getParam(model, 'key') ?? '';
  } else {
    form.trackerUrl = model.base.replace(/\/+$/, '');
  }
  const subidName = firstPresent(model, KEITARO_SUBID_ALIASES) ?? 'subid';
  const payoutName = firstPresent(model, KEITARO_PAYOUT_ALIASES) ?? 'payout';
  const tidName = firstPresent(model, KEITARO_TID_ALIASES) ?? 'tid';
  form.names = { subid: subidName, payout: payoutName, tid: tidName };
  form.subid = getParam(model, subidName) ?? '';
  form.payout = getParam(model, payoutName) ?? '';
  form.tid = getParam(model, tidName) ?? '';
  form.currency = getParam(model, 'currency') ?? '';
  form.returnBody = getParam(model, 'return') ?? '';
  const subIds: string[] = [];
  for (let n = 1; n <= KEITARO_MAX_SUB_IDS; n++) {
    const v = getParam(model, `sub_id_${n}`);
    if (v !== undefined) subIds[n - 1] = v;
  }
  form.subIds = Array.from(subIds, (v) => v ?? '');
  return form;
}

function keitaroBase(form: KeitaroForm): string {
  const tracker = form.trackerUrl.trim().replace(/\/+$/, '');
  return form.key.trim() === '' ? `${tracker}/postback` : `${tracker}/${form.key.trim()}/postback`;
}

function apply(model: PostbackModel, name: string, before: string, after: string): PostbackModel {
  if (before === after) return model;
  return after === '' ? removeParam(model, name) : setParam(model, name, after);
}

/**
 * Writes the form into a model. With `previous` (the model the form was read from) only the
 * fields that changed touch the URL, so unknown params, their order and their encoding stay.
 */
export function keitaroFormToModel(form: KeitaroForm, previous?: PostbackModel): PostbackModel {
  const before = previous !== undefined ? keitaroFormFromModel(previous) : blankKeitaroForm();
  let model: PostbackModel = previous ?? {
    system: 'keitaro',
    kind: 'postback',
    base: '',
    params: [],
    hash: null,
  };
  if (previous === undefined || before.trackerUrl !== form.trackerUrl || before.key !== form.key) {
    model = { ...model, base: keitaroBase(form) };
    // The key moved into the path: a `key=` param would now be a second, stale copy.
    if (form.key.trim() !== '') model = removeParam(model, 'key');
  }
  const fresh = previous === undefined;
  const names = form.names;
  model = apply(model, names.subid, fresh ? '' : before.subid, form.subid);
  model = apply(model, 'status', fresh ? '' : before.status, form.status);
  model = apply(model, names.payout, fresh ? '' : before.payout, form.payout);
  model = apply(model, 'currency', fresh ? '' : before.currency, form.currency);
  model = apply(model, names.tid, fresh ? '' : before.tid, form.tid);
  const count = Math.max(form.subIds.length, before.subIds.length);
  for (let i = 0; i < Math.min(count, KEITARO_MAX_SUB_IDS); i++) {
    model = apply(model, `sub_id_${i + 1}`, fresh ? '' : (before.subIds[i] ?? ''), form.subIds[i] ?? '');
  }
  model = apply(model, 'return', fresh ? '' : before.returnBody, form.returnBody);
  return { ...model, system: 'keitaro', kind: 'postback' };
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;

export interface ValidateOptions {
  /** Building a template for a network to fill in: macros are expected, not errors. */
  template?: boolean;
}

function isUrlBase(text: string): boolean {
  const parts = splitUrl(text);
  return (
    parts !== null &&
    (parts.scheme === 'http' || parts.scheme === 'https') &&
    parts.query === null &&
    parts.hash === null
  );
}

/** Field problems, errors first. Empty when the form would build a sound replayable postback. */
export function validateKeitaroForm(form: KeitaroForm, opts?: ValidateOptions): FieldError[] {
  const out: FieldError[] = [];
  const template = opts?.template === true;
  const macroOk = (value: string) => template && detectMacro(value) !== null;
  const tracker = form.trackerUrl.trim();
  if (tracker === '')
    out.push({
      field: 'trackerUrl',
      severity: 'error',
      message: 'Enter the tracker URL, e.g. https://tracker.example.',
    });
  else if (!isUrlBase(tracker)) {
    out.push({
      field: 'trackerUrl',
      severity: 'error',
      message: 'The tracker URL must be http(s)://host with no ? or # part.',
    });
  }
  const key = form.key.trim();
  if (key === '') {
    out.push({
      field: 'key',
      severity: 'error',
      message:
        'Enter the postback key: without it Keitaro answers "Incorrect postback code". It is in Settings (or Maintenance) → Postback URL.',
    });
  } else if (/[/?#\s]/.test(key)) {
    out.push({
      field: 'key',
      severity: 'error',
      message: 'The key is one path segment: no "/", "?", "#" or spaces.',
    });
  }
  const subid = form.subid.trim();
  if (subid === '') {
    out.push({
      field: 'subid',
      severity: 'error',
      message: 'Enter the subid (Keitaro\'s click id): without it Keitaro answers "Incorrect subid".',
    });
  } else if (detectMacro(form.subid) !== null && !macroOk(form.subid)) {
    out.push({
      field: 'subid',
      severity: 'error',
      message: `${form.subid} is a placeholder, not a click id: Keitaro would answer "Success" and then log "SubID not found".`,
    });
  } else if (subid.includes(':')) {
    out.push({
      field: 'subid',
      severity: 'warning',
      message: 'Keitaro keeps only the part before the first ":" as the subid.',
    });
  }
  const status = form.status.trim();
  if (status === '') {
    out.push({
      field: 'status',
      severity: 'warning',
      message:
        'No status: v9 docs say Keitaro then records a sale, the newest docs say it ignores the postback. Choose one.',
    });
  } else if (!macroOk(status)) {
    const reading = parseStatus(status);
    if (reading.via === 'unknown') {
      const s = suggestStatus(status);
      out.push({
        field: 'status',
        severity: 'warning',
        message: `"${status}" is not a Keitaro status.${s !== null ? ` Did you mean "${s.name}"${s.bucket !== null ? ` (${s.bucket})` : ''}?` : ''} Use lead, sale, rejected or rebill.`,
      });
    }
  }
  const payout = form.payout.trim();
  if (payout !== '' && !macroOk(payout) && !NUMBER.test(payout)) {
    out.push(
      /^-?\d+,\d+$/.test(payout)
        ? { field: 'payout', severity: 'warning', message: `Use a dot: ${payout.replace(',', '.')}.` }
        : { field: 'payout', severity: 'error', message: 'The payout must be a number such as 12.50.' },
    );
  }
  const currency = form.currency.trim();
  if (currency !== '' && !macroOk(currency) && !/^[A-Za-z]{3}$/.test(currency)) {
    out.push({
      field: 'currency',
      severity: 'warning',
      message: 'Currencies are three-letter codes: usd, eur, rub…',
    });
  }
  if (form.subIds.length > KEITARO_MAX_SUB_IDS) {
    out.push({
      field: 'subIds',
      severity: 'error',
      message: `Keitaro has at most ${KEITARO_MAX_SUB_IDS} sub_id_N fields.`,
    });
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
