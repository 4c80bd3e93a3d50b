import { Writable } from 'node:stream';
import { compileConfig, type SourceConfig } from '../../../src/config/index.js';
import type { Revision, RevisionTrigger, SourceError } from '../../../src/source/index.js';
import { createLogger, type Logger } from '../../../src/util/logger.js';

type RawSource = NonNullable<Parameters<typeof compileConfig>[0]>['source'];

/** A source compiled the way `berth.yaml` would be. */
export function sourceConfig(raw: NonNullable<RawSource>): SourceConfig {
  return compileConfig({ source: raw, env: {} }).sources[0] as SourceConfig;
}

/** What a watcher reported, for assertions. */
export interface Recorder {
  revisions: { revision: Revision; trigger: RevisionTrigger }[];
  errors: SourceError[];
  onRevision: (revision: Revision, trigger: RevisionTrigger) => void;
  onError: (error: SourceError) => void;
}

export function recorder(): Recorder {
  const r: Recorder = {
    revisions: [],
    errors: [],
    onRevision: (revision, trigger) => r.revisions.push({ revision, trigger }),
    onError: (error) => r.errors.push(error),
  };
  return r;
}

/** A JSON logger whose lines are kept in `lines`. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ format: 'json', level: 'debug', destination }), lines };
}

/** `value`, or a test failure naming `what` when it is missing. */
export function defined<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}
