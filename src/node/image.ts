import type Docker from 'dockerode';
import { errorMessage } from '../util/berth-error.js';
import { NodeError } from './node-error.js';
import type { Container } from './pod-spec.js';

/** The effective imagePullPolicy: as set, else `Always` for `:latest` or no tag, else `IfNotPresent`. */
export function pullPolicy(container: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image.split('@')[0] as string;
  const lastPart = image.split('/').at(-1) as string;
  const tag = lastPart.includes(':') ? lastPart.split(':').at(-1) : undefined;
  if (container.image.includes('@')) return 'IfNotPresent';
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * Makes the container's image present by its pull policy and returns its configured user.
 * Throws NodeError `ErrImagePull` when a pull fails, `ErrImageNeverPull` when the policy is
 * Never and the image is missing.
 */
export async function ensureImage(docker: Docker, container: Container): Promise<string> {
  const policy = pullPolicy(container);
  // A local image seen moments ago is still there: no inspect per container start.
  const seen = presentImages.get(docker)?.get(container.image);
  if (policy !== 'Always' && seen && seen.until > Date.now()) return seen.user;
  const user = await lookUp(docker, container, policy);
  const cache = presentImages.get(docker) ?? new Map<string, { user: string; until: number }>();
  presentImages.set(docker, cache);
  cache.set(container.image, { user, until: Date.now() + PRESENT_TTL_MS });
  return user;
}

/** How long an image found present is taken as present without asking Docker again. */
const PRESENT_TTL_MS = 10_000;
const presentImages = new WeakMap<object, Map<string, { user: string; until: number }>>();

async function lookUp(
  docker: Docker,
  container: Container,
  policy: ReturnType<typeof pullPolicy>,
): Promise<string> {
  const local = () =>
    docker
      .getImage(container.image)
      .inspect()
      .catch(() => undefined);
  let info = policy === 'Always' ? undefined : await local();
  if (!info && policy === 'Never') {
    throw new NodeError(
      'ErrImageNeverPull',
      `image "${container.image}" is not present and imagePullPolicy is Never`,
      { image: container.image },
    );
  }
  if (!info) {
    try {
      const stream = await docker.pull(container.image);
      await new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      throw new NodeError(
        'ErrImagePull',
        `pulling image "${container.image}" failed: ${errorMessage(err)}`,
        { image: container.image },
        { cause: err },
      );
    }
    info = await local();
    if (!info) {
      throw new NodeError('ErrImagePull', `image "${container.image}" is missing after its pull`, {
        image: container.image,
      });
    }
  }
  return info.Config?.User ?? '';
}
