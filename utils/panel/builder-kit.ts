import type { BuilderField, TemplateKind } from '../../components/Builder';
import type { PostbackLike } from '../replay/money';
import type { Session, Trail } from '../session/schema';
import type { Settings } from '../settings';
import type { BuilderInput } from './store';

/**
 * The builder's form ↔ URL operations. The URL string is the single source of truth: the form is
 * read from it, and every form edit writes a new URL, so both stay live and lossless. The
 * implementation (utils/panel/builder.ts) delegates to the core's parse/build and form helpers.
 */
export interface BuilderView {
  /** `keitaro postback`, `hasoffers postback` …, or null when the URL is not a postback the builder knows. */
  recognized: string | null;
  fields: BuilderField[];
  others: { name: string; value: string }[];
  urlErrors: string[];
  /** The params as the money checks read them. */
  postback: PostbackLike | null;
}

export interface BuilderKit {
  view(url: string): BuilderView;
  setField(url: string, name: string, value: string): string;
  setOthers(url: string, others: { name: string; value: string }[]): string;
  /** The URL with exactly these params (a safe variant), keeping the base and the hash. */
  withParams(url: string, params: { name: string; value: string }[]): string;
  /** A blank template, filled from settings and, when given, the trail's subid / transaction_id. */
  template(kind: TemplateKind, settings: Settings, trail?: Trail, session?: Session): string;
  /** "Rebuild and replay": settings first, then the tracker (and key) seen in the session. */
  prefill(trail: Trail, settings: Settings, session?: Session): BuilderInput;
}
