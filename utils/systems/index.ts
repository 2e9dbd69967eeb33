import { affise } from './affise';
import { bemob } from './bemob';
import { binom } from './binom';
import { cake } from './cake';
import { everflow } from './everflow';
import { hasoffers } from './hasoffers';
import { keitaro } from './keitaro';
import { redtrack } from './redtrack';
import type { SystemDefinition } from './schema';
import { voluum } from './voluum';

/**
 * The registry, listed explicitly so the import graph shows every system. The order is the
 * tie-break when two systems claim one URL with equal specificity (see utils/recognize):
 * the two first-class systems first.
 */
export const systems: readonly SystemDefinition[] = [
  keitaro,
  hasoffers,
  voluum,
  bemob,
  binom,
  redtrack,
  affise,
  everflow,
  cake,
];

export function getSystem(
  id: string,
  list: readonly SystemDefinition[] = systems,
): SystemDefinition | undefined {
  return list.find((s) => s.id === id);
}
