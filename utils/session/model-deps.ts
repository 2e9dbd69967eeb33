import { MIN_ID_LENGTH } from '../page/page-ids';
import { findClickIds, recognize } from '../recognize/recognize';
import type { ModelDeps } from './apply-events';

/** The real core behind the session model (tests pass stand-ins). */
export const modelDeps: ModelDeps = {
  recognize,
  idsOf: (url) =>
    findClickIds(url).flatMap((id) => (id.macro || id.value.length < MIN_ID_LENGTH ? [] : [id.value])),
};
