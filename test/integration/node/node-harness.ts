import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { NodeAgent, type NodeOptions } from '../../../src/node/index.js';
import type { ConfigMap, Pod, PodStatus, Secret } from '../../../src/node/pod-spec.js';
import { execAction } from '../../../src/node/probe-exec.js';
import { useDocker } from '../../harness/docker.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { useTempDir } from '../../harness/tmp.js';

/** ConfigMaps and Secrets a test can change while pods run. */
export class MemoryObjects {
  readonly configMaps = new Map<string, ConfigMap>();
  readonly secrets = new Map<string, Secret>();
  configMap = (ns: string, name: string) => this.configMaps.get(`${ns}/${name}`);
  secret = (ns: string, name: string) => this.secrets.get(`${ns}/${name}`);
}

/** A test file's node: a NodeAgent on its own Docker instance id, state dirs and network, stopped and cleaned after. */
export function useNode(overrides: Partial<NodeOptions> = {}) {
  const docker = useDocker();
  const stateDir = useTempDir('berth-node-');
  const objects = new MemoryObjects();
  const options: NodeOptions = {
    docker: docker.docker,
    instance: docker.id,
    lookup: objects,
    stateDir,
    memoryDir: `/dev/shm/berth-test/${docker.id}`,
    resyncMs: 500,
    ...overrides,
  };
  const agents: NodeAgent[] = [];
  const newAgent = (extra: Partial<NodeOptions> = {}) => {
    const agent = new NodeAgent({ ...options, ...extra });
    agents.push(agent);
    return agent;
  };
  afterAll(() => {
    for (const a of agents) a.stop();
    rmSync(`/dev/shm/berth-test/${docker.id}`, { recursive: true, force: true });
  });
  return { ...docker, objects, options, newAgent };
}

/** Polls the agent's status of `pod` until `check` holds (or throws with the last status). */
export async function waitForStatus(
  agent: NodeAgent,
  pod: Pod,
  check: (s: PodStatus) => boolean,
  timeoutMs: number = WAIT.dockerTimeoutMs,
): Promise<PodStatus> {
  return eventually(
    async () => {
      const status = await agent.podStatus(pod);
      if (!check(status)) throw new Error(`last status: ${JSON.stringify(status, null, 2)}`);
      return status;
    },
    { what: `pod ${pod.metadata.name}`, timeout: timeoutMs },
  );
}

/** Runs a command in a pod's container and returns its output (throws on a non-zero exit). */
export async function execIn(
  agent: NodeAgent,
  pod: Pod,
  container: string,
  command: string[],
): Promise<string> {
  const status = await agent.podStatus(pod);
  const id = status.containerStatuses
    .find((c) => c.name === container)
    ?.containerID?.replace('docker://', '');
  if (!id) throw new Error(`container ${container} has no id`);
  const result = await execAction(agent.options.docker, id, command, 10_000);
  if (!result.success) throw new Error(result.message);
  return result.message;
}

/** The status of one app container. */
export function containerOf(status: PodStatus, name: string) {
  const found = [...status.containerStatuses, ...status.initContainerStatuses].find(
    (c) => c.name === name,
  );
  if (!found) throw new Error(`no status for container ${name}`);
  return found;
}
