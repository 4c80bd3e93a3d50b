import Docker from 'dockerode';
import { BerthError } from '../util/berth-error.js';

/** Connects to the Docker Engine on a unix socket and checks that it answers. */
export async function connectDocker(socketPath: string): Promise<Docker> {
  const docker = new Docker({ socketPath });
  try {
    await docker.ping();
  } catch (err) {
    throw new BerthError(
      'DockerUnavailable',
      `the Docker engine does not answer on ${socketPath}: ${(err as Error).message} (run scripts/setup-host, or set docker.socket / BERTH_DOCKER_SOCKET)`,
      { socket: socketPath },
      { cause: err },
    );
  }
  return docker;
}
