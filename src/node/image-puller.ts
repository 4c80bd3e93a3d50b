import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { ImageReference, PullCredential } from '../images/index.js';
import { errorMessage } from '../util/berth-error.js';

/** How far a pull is: layers seen and done, bytes downloaded of the layers whose size is known. */
export interface PullProgress {
  layers: number;
  done: number;
  currentBytes: number;
  totalBytes: number;
}

interface Pull {
  promise: Promise<void>;
  listeners: Set<(p: PullProgress) => void>;
}

/**
 * Pulls images through the Docker Engine, one pull per image and credentials at a time: pods
 * that need the same image with the same credentials while it is being pulled wait for that
 * one pull (and hear its progress). A pull fails with the registry's error as Docker reports it.
 */
export class ImagePuller {
  private readonly pulls = new Map<string, Pull>();

  constructor(private readonly docker: Docker) {}

  /** Pulls `reference` (the image as written) with `credential` (none: anonymously). */
  pull(
    reference: string,
    image: ImageReference,
    credential: PullCredential | undefined,
    onProgress?: (p: PullProgress) => void,
  ): Promise<void> {
    const key = pullKey(reference, credential);
    let pull = this.pulls.get(key);
    if (!pull) {
      const listeners = new Set<(p: PullProgress) => void>();
      const promise = this.run(image, credential, (p) => {
        for (const l of listeners) l(p);
      }).finally(() => this.pulls.delete(key));
      pull = { promise, listeners };
      this.pulls.set(key, pull);
    }
    const { listeners } = pull;
    if (onProgress) listeners.add(onProgress);
    return pull.promise.finally(() => onProgress && listeners.delete(onProgress));
  }

  /** Pulls in progress (for tests and metrics). */
  get inFlight(): number {
    return this.pulls.size;
  }

  private async run(
    image: ImageReference,
    credential: PullCredential | undefined,
    onProgress: (p: PullProgress) => void,
  ): Promise<void> {
    const fromImage =
      image.registry === 'docker.io'
        ? `docker.io/${image.repository}`
        : `${image.registry}/${image.repository}`;
    const auth = credential
      ? {
          username: credential.username,
          password: credential.password,
          serveraddress: credential.serveraddress,
        }
      : undefined;
    const opts = { fromImage, tag: image.digest ?? image.tag ?? 'latest' };
    const stream = (await (auth
      ? this.docker.createImage(auth, opts)
      : this.docker.createImage(opts))) as NodeJS.ReadableStream;
    const layers = new Map<string, { current: number; total: number; done: boolean }>();
    let failure: string | undefined;
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (event: PullEvent) => {
          if (event.error || event.errorDetail) {
            failure = event.errorDetail?.message ?? event.error ?? 'pull failed';
            return;
          }
          if (!event.id || !LAYER_STATUS.test(event.status ?? '')) return;
          const layer = layers.get(event.id) ?? { current: 0, total: 0, done: false };
          if (/complete|exists/i.test(event.status ?? '')) layer.done = true;
          if (event.status === 'Downloading' && event.progressDetail?.total) {
            layer.current = event.progressDetail.current ?? 0;
            layer.total = event.progressDetail.total;
          }
          layers.set(event.id, layer);
          onProgress(summarize(layers));
        },
      );
    }).catch((err) => {
      throw new Error(errorMessage(err));
    });
    if (failure) throw new Error(failure);
  }
}

interface PullEvent {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

const LAYER_STATUS =
  /^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists)$/;

function summarize(
  layers: Map<string, { current: number; total: number; done: boolean }>,
): PullProgress {
  let done = 0;
  let currentBytes = 0;
  let totalBytes = 0;
  for (const l of layers.values()) {
    if (l.done) done++;
    totalBytes += l.total;
    currentBytes += l.done ? l.total : l.current;
  }
  return { layers: layers.size, done, currentBytes, totalBytes };
}

/** One pull per image reference and credentials (a hash: the password is never kept as a key). */
function pullKey(reference: string, credential: PullCredential | undefined): string {
  if (!credential) return `${reference}\0anonymous`;
  const id = createHash('sha256')
    .update(`${credential.serveraddress}\0${credential.username}\0${credential.password}`)
    .digest('hex');
  return `${reference}\0${id}`;
}
