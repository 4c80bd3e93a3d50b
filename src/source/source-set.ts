import type { SourceConfig } from '../config/index.js';
import { createSourceWatcher } from './create-source-watcher.js';
import type { SourceStatus } from './source-status.js';
import type { SourceWatcher } from './source-watcher.js';
import type { SourceWatcherOptions } from './watcher-options.js';

/** Options of {@link SourceSet}: those of every watcher, without the per-source `source`. */
export type SourceSetOptions = Omit<SourceWatcherOptions, 'source'>;

/**
 * The watchers of all configured sources (`config.sources`), by name: what `berth up` starts
 * and what the webhook endpoint looks sources up in (`target: (name) => set.webhookTarget(name)`).
 */
export class SourceSet {
  private readonly watchers = new Map<string, { source: SourceConfig; watcher: SourceWatcher }>();

  constructor(sources: readonly SourceConfig[], options: SourceSetOptions) {
    for (const source of sources) {
      this.watchers.set(source.name, {
        source,
        watcher: createSourceWatcher({ ...options, source }),
      });
    }
  }

  /** Starts every watcher (each looks once); a source that fails is reported in its status, not thrown. */
  async start(): Promise<void> {
    await Promise.all([...this.watchers.values()].map(({ watcher }) => watcher.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.watchers.values()].map(({ watcher }) => watcher.stop()));
  }

  /** The watcher of source `name`, if configured. */
  get(name: string): SourceWatcher | undefined {
    return this.watchers.get(name)?.watcher;
  }

  /** A source and its refresh, the shape the webhook handler wakes (`WebhookTarget`). */
  webhookTarget(
    name: string,
  ): { source: SourceConfig; refresh: SourceWatcher['refresh'] } | undefined {
    const entry = this.watchers.get(name);
    if (!entry) return undefined;
    return { source: entry.source, refresh: (trigger) => entry.watcher.refresh(trigger) };
  }

  /** Every source's status, in configuration order. */
  statuses(): SourceStatus[] {
    return [...this.watchers.values()].map(({ watcher }) => watcher.status());
  }
}
