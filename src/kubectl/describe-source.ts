import type { SourceState, StoredEvent } from '../store/index.js';
import { DescribeWriter, describeTime } from './describe-writer.js';

/**
 * A source as `berth describe source <name>` prints it: repository, ref, revisions (target and
 * applied), suspension, sync and health with their reasons, and its events (`Suspended`,
 * `Resumed`, syncs...). `state` is undefined for a configured source Berth has not seen yet.
 */
export function describeSource(
  name: string,
  state: SourceState | undefined,
  events: readonly StoredEvent[],
  now: Date,
): string {
  const w = new DescribeWriter();
  w.field(0, 'Name', name);
  w.field(0, 'Repo', state?.repo);
  w.field(0, 'Ref', state?.ref);
  w.field(0, 'Prune', state ? String(state.prune) : undefined);
  w.field(0, 'Suspended', String(state?.suspended ?? false));
  w.field(0, 'Target Revision', state?.target);
  w.field(0, 'Target Subject', state?.targetSubject);
  w.field(0, 'Applied Revision', state?.applied);
  w.field(0, 'Applied At', describeTime(state?.appliedAt));
  w.field(0, 'Last Sync', describeTime(state?.lastSyncTime));
  w.line(0, 'Sync:');
  w.field(1, 'Status', state?.sync ?? 'OutOfSync');
  w.field(1, 'Message', state?.syncMessage ?? (state ? undefined : 'not seen yet'));
  w.line(0, 'Health:');
  w.field(1, 'Status', state?.suspended ? 'Suspended' : (state?.health ?? 'Missing'));
  w.field(1, 'Reason', state?.healthReason);
  w.field(1, 'Message', state?.healthMessage);
  if (state?.total !== undefined) w.field(1, 'Ready', `${state.ready ?? 0}/${state.total}`);
  w.events(events, now);
  return w.toString();
}
