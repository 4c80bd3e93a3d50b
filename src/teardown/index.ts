// Teardown: what `berth down` removes of one instance, in Docker, on the host and in Redis.
export { type DockerTeardown, teardownDocker } from './teardown-docker.js';
export { type HostTeardown, teardownHost } from './teardown-host.js';
export { BERTH_QUEUES, queueWorkers, type RedisTeardown, teardownRedis } from './teardown-redis.js';
