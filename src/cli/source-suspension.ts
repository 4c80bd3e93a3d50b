import { type SuspensionChange, setSuspended as setSourceSuspended } from '../actions/index.js';
import type { CliState } from './open-state.js';
import { knownSources, unknownSource } from './open-state.js';

export type { SuspensionChange };

/**
 * `berth suspend|resume`: {@link setSourceSuspended} for a source that is configured or known to
 * Redis; throws UnknownSource (exit 1) for any other.
 */
export async function setSuspended(
  state: CliState,
  name: string,
  suspended: boolean,
): Promise<SuspensionChange> {
  const known = await knownSources(state);
  if (!known.includes(name)) throw unknownSource(name, known);
  return setSourceSuspended(state, name, suspended);
}
