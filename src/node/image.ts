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
