import Docker from 'dockerode';
import { Redis } from 'ioredis';
import { TEST_LABEL } from './run-id.js';

/**
 * Before the integration tests: fail fast, with the fix, when Docker or Redis is not there, and
 * sweep what crashed earlier runs left behind (anything labelled by a test run over an hour ago).
 */
export async function setup(): Promise<void> {
  const docker = new Docker({
    socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
  });
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(
      `integration tests need a Docker engine: run scripts/setup-host (${String(err)})`,
    );
  }
  const redis = new Redis(process.env.BERTH_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`integration tests need Redis: run scripts/setup-host (${String(err)})`);
  } finally {
    redis.disconnect();
  }
  await sweepStale(docker, 3600);
}

async function sweepStale(docker: Docker, olderThanSeconds: number): Promise<void> {
  const cutoff = Date.now() / 1000 - olderThanSeconds;
  const filters = JSON.stringify({ label: [TEST_LABEL] });
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers
      .filter((c) => c.Created < cutoff)
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => {}),
      ),
  );
}
