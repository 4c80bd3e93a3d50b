import { createHash } from 'node:crypto';
import {
  credentialsFor,
  type ImageReference,
  type PullCredential,
  parseImageReference,
} from '../images/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { PullProgress } from './image-puller.js';
import { NodeError } from './node-error.js';
import type { Container, Pod } from './pod-spec.js';
import { podPullSecrets } from './pull-secrets.js';
import type { SyncContext } from './sync-context.js';

/** The effective imagePullPolicy: as set, else `Always` for `:latest` or no tag, else `IfNotPresent`. */
export function pullPolicy(container: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image.split('@')[0] as string;
  const lastPart = image.split('/').at(-1) as string;
  const tag = lastPart.includes(':') ? lastPart.split(':').at(-1) : undefined;
  if (container.image.includes('@')) return 'IfNotPresent';
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** How often a pull in progress reports its progress as an event. */
const PROGRESS_EVERY_MS = 5_000;
/** How long an image found present is taken as present without asking Docker again. */
const PRESENT_TTL_MS = 10_000;

/**
 * Makes the container's image present by its pull policy, as the kubelet does, and returns the
 * image's configured user. Pulls with the pod's imagePullSecrets, then berth.yaml's registries,
 * then Docker's own config (each matching credential in turn; none: anonymously), one pull per
 * image and credentials across pods. Records the kubelet's events (Pulling, progress, Pulled,
 * Failed, ErrImageNeverPull, FailedToRetrieveImagePullSecret). Throws NodeError `ErrImagePull`
 * when the pull fails, `ErrImageNeverPull` when the policy is Never and the image is missing,
 * `InvalidImageName` when the reference cannot be parsed.
 */
export async function ensureImage(
  ctx: SyncContext,
  pod: Pod,
  container: Container,
): Promise<string> {
  const policy = pullPolicy(container);
  const { docker } = ctx.opts;
  const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
    ctx.opts.recordEvent?.(pod, { type, reason, message, container: container.name });
  const seen = ctx.images.present.get(container.image);
  if (policy !== 'Always' && seen && seen.until > Date.now()) {
    // Known present (another pod's pull, or a recent inspect): the kubelet says so for this
    // pod's container too.
    event('Normal', 'Pulled', `Container image "${container.image}" already present on machine`);
    return seen.user;
  }
  const local = () =>
    docker
      .getImage(container.image)
      .inspect()
      .catch(() => undefined);
  let info = policy === 'Always' ? undefined : await local();
  if (info) {
    event('Normal', 'Pulled', `Container image "${container.image}" already present on machine`);
  } else if (policy === 'Never') {
    const message = `Container image "${container.image}" is not present with pull policy of Never`;
    event('Warning', 'ErrImageNeverPull', message);
    throw new NodeError('ErrImageNeverPull', message, { image: container.image });
  } else {
    const image = parseImageReference(container.image);
    if (!image) {
      const message = `Failed to apply default image tag "${container.image}": couldn't parse image name`;
      event('Warning', 'InspectFailed', message);
      throw new NodeError('InvalidImageName', message, { image: container.image });
    }
    const { credentials, unusable } = await pullCredentials(ctx, pod, image);
    if (unusable.length)
      event(
        'Warning',
        'FailedToRetrieveImagePullSecret',
        `Unable to retrieve some image pull secrets (${unusable.join(', ')}); attempting to pull the image may not succeed.`,
      );
    const seconds = await pull(ctx, container.image, image, credentials, event);
    info = await local();
    if (!info) {
      throw new NodeError('ErrImagePull', `image "${container.image}" is missing after its pull`, {
        image: container.image,
      });
    }
    event(
      'Normal',
      'Pulled',
      `Successfully pulled image "${container.image}" in ${seconds}s. Image size: ${info.Size} bytes.`,
    );
  }
  const user = info.Config?.User ?? '';
  ctx.images.present.set(container.image, { user, until: Date.now() + PRESENT_TTL_MS });
  return user;
}

/**
 * Tries each credential in turn (none: one anonymous pull); the errors of all when every one
 * fails. Returns how long the pull took, in seconds.
 */
async function pull(
  ctx: SyncContext,
  reference: string,
  image: ImageReference,
  credentials: PullCredential[],
  event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
): Promise<string> {
  event('Normal', 'Pulling', `Pulling image "${reference}"`);
  const started = Date.now();
  let lastReport = started;
  const onProgress = (p: PullProgress) => {
    if (Date.now() - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = Date.now();
    event('Normal', 'Pulling', `Pulling image "${reference}": ${describeProgress(p)}`);
  };
  const errors: string[] = [];
  for (const credential of credentials.length ? credentials : [undefined]) {
    try {
      await ctx.images.puller.pull(reference, image, credential, onProgress);
      return ((Date.now() - started) / 1000).toFixed(3);
    } catch (err) {
      const who = credential ? ` (credentials of ${credential.origin})` : '';
      errors.push(`${errorMessage(err)}${who}`);
    }
  }
  const message = `Failed to pull image "${reference}": ${errors.join('; ')}`;
  event('Warning', 'Failed', message);
  throw new NodeError('ErrImagePull', message, { image: reference });
}

/** `3 of 5 layers, 12.0 MB of 40.1 MB`. */
export function describeProgress(p: PullProgress): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const bytes = p.totalBytes ? `, ${mb(p.currentBytes)} of ${mb(p.totalBytes)}` : '';
  return `${p.done} of ${p.layers} layers done${bytes}`;
}

/**
 * The credentials a pull of `image` by this pod tries, in order, and the pull secrets that
 * could not be used; `fingerprint` changes when any of them changes (a fixed Secret ends the
 * pull backoff at once).
 */
export async function pullCredentials(
  ctx: SyncContext,
  pod: Pod,
  image: ImageReference,
): Promise<{ credentials: PullCredential[]; unusable: string[]; fingerprint: string }> {
  const secrets = await podPullSecrets(pod, ctx.opts.lookup);
  const host = await ctx.opts.hostCredentials();
  const credentials = credentialsFor(image, [...secrets.sources, ...host]);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(credentials.map((c) => [c.serveraddress, c.username, c.password])))
    .digest('hex');
  return { credentials, unusable: secrets.unusable, fingerprint };
}
