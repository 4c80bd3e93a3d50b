import type { Revision, RevisionTrigger } from './revision.js';

/**
 * Something that happened to a source, newest last in {@link SourceStatus.events}. Reasons:
 * `NewRevision` (a commit not seen before), `FetchFailed` (the revision kept is the last good
 * one), `Recovered` (a look succeeded after failures). Events follow changes, not looks: a look
 * that finds the same revision records nothing, and a failure that repeats the previous one
 * (same code and message, same revision kept) is folded into its event, as Kubernetes' event
 * recorder folds repeated events into one with a count. How many looks run (file events, the
 * trailing re-read, retries, webhooks) therefore never changes the list.
 */
export interface SourceEvent {
  /** ISO 8601 time. */
  time: string;
  type: 'Normal' | 'Warning';
  reason: 'NewRevision' | 'FetchFailed' | 'Recovered';
  message: string;
  /** Commit SHA the event belongs to: the new one, or the one kept. */
  revision?: string;
  /** Of the last look that reported it. */
  trigger: RevisionTrigger;
  /** How many looks in a row reported it (absent: one); `time` and `message` are the last one's. */
  count?: number;
}

/** A source's last look at its repository, as `berth status` shows it. */
export interface SourceStatus {
  name: string;
  /** The last good revision: what is deployed while later looks fail. */
  revision?: Revision;
  /** `true` when the last look succeeded. */
  ready: boolean;
  /** The last failure (code and message, never a credential), cleared by a success. */
  lastError?: { code: string; message: string; at: string };
  /** When the last look (fetch or ref read) finished, successful or not. */
  lastAttemptAt?: string;
  /** When the last look succeeded. */
  lastSuccessAt?: string;
  /** Failed looks in a row. */
  consecutiveFailures: number;
  /** When the next scheduled look (interval or retry) runs, if one is scheduled. */
  nextAttemptAt?: string;
  /** Recent events, oldest first (at most {@link SourceWatcherOptions.maxEvents}). */
  events: SourceEvent[];
}
