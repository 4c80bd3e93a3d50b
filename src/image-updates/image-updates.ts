import type { Redis } from 'ioredis';
import type { BerthConfig } from '../config/index.js';
import { type DockerRegistryConfig, RegistryClient, RegistryTransport } from '../images/index.js';
import { hostCredentials } from '../node/index.js';
import { type BerthEvent, HistoryStore, ImageUpdateStore } from '../store/index.js';
import type { Logger } from '../util/logger.js';
import { ImageUpdateScanner } from './image-update-scanner.js';

/** What {@link startImageUpdates} needs from the process that runs the source watchers. */
export interface ImageUpdatesOptions {
  config: BerthConfig;
  redis: Redis;
  record(event: BerthEvent): Promise<void>;
  /** Has a source's watcher look again. */
  refresh(source: string): Promise<void>;
  /** Called right before each update commit moves a branch (the leader's fencing check). */
  beforeWrite?: () => Promise<void>;
  logger: Logger;
  /** dockerd's registry configuration (`docker info` → RegistryConfig): its insecure registries. */
  dockerRegistryConfig?: DockerRegistryConfig;
  env?: NodeJS.ProcessEnv;
}

/** The running scanners of every source with `imageUpdates`. */
export interface ImageUpdates {
  scanners: ReadonlyMap<string, ImageUpdateScanner>;
  stop(): Promise<void>;
}

/** Starts one {@link ImageUpdateScanner} per source that has `imageUpdates`. */
export function startImageUpdates(options: ImageUpdatesOptions): ImageUpdates {
  const { config } = options;
  const client = new RegistryClient(
    new RegistryTransport({
      ...(options.dockerRegistryConfig
        ? { dockerRegistryConfig: options.dockerRegistryConfig }
        : {}),
      timeoutMs: 30_000,
    }),
  );
  const skipped = new ImageUpdateStore(options.redis, config.redis.keyPrefix);
  const history = new HistoryStore(options.redis, config.redis.keyPrefix);
  const scanners = new Map<string, ImageUpdateScanner>();
  for (const source of config.sources) {
    if (!source.imageUpdates?.length) continue;
    const scanner = new ImageUpdateScanner({
      source,
      stateDir: config.stateDir,
      client,
      credentials: () => hostCredentials(config, options.logger),
      skipped,
      history,
      record: options.record,
      refresh: () => options.refresh(source.name),
      ...(options.beforeWrite ? { beforeWrite: options.beforeWrite } : {}),
      logger: options.logger,
      ...(options.env ? { env: options.env } : {}),
    });
    scanner.start();
    scanners.set(source.name, scanner);
  }
  return {
    scanners,
    stop: async () => {
      await Promise.all([...scanners.values()].map((s) => s.stop()));
    },
  };
}
