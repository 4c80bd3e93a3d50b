// Docker `start` events of containers with given labels, timestamped as they arrive: how the
// benchmarks see containers come up without polling the engine (polling would slow it down).
import type Docker from 'dockerode';

/** One container start seen on the event stream. */
export interface ContainerStart {
  id: string;
  /** performance.now() when the event arrived. */
  at: number;
  labels: Record<string, string>;
}

/** A subscription opened by {@link watchStarts}. */
export interface StartWatch {
  readonly starts: ContainerStart[];
  /** Resolves with the `count`-th start matching `filter` (at once when already seen). */
  nth(count: number, filter?: (s: ContainerStart) => boolean, timeoutMs?: number): Promise<number>;
  close(): void;
}

/** Subscribes to the start events of containers carrying every label of `labels` (`k=v`). */
export async function watchStarts(docker: Docker, labels: string[]): Promise<StartWatch> {
  const stream = (await docker.getEvents({
    filters: JSON.stringify({ type: ['container'], event: ['start'], label: labels }),
  })) as NodeJS.ReadableStream & { destroy(): void };
  const starts: ContainerStart[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    const at = performance.now();
    buffer += chunk.toString('utf8');
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      if (!line) continue;
      const e = JSON.parse(line) as { id: string; Actor?: { Attributes?: Record<string, string> } };
      starts.push({ id: e.id, at, labels: e.Actor?.Attributes ?? {} });
    }
    for (const w of waiters) w();
  });
  stream.on('error', () => {});
  return {
    starts,
    nth: (count, filter = () => true, timeoutMs = 600_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const matching = starts.filter(filter);
          if (matching.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve((matching[count - 1] as ContainerStart).at);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`saw ${starts.filter(filter).length} of ${count} container starts`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () => stream.destroy(),
  };
}
