import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { NodeStoppingError, StartGate } from '../../../src/node/start-gate.js';

/** A Docker client that notes what it is asked (only what the gate touches). */
function fakeDocker(calls: string[]): Docker {
  const container = (id: string) => ({
    id,
    start: async () => calls.push(`start ${id}`),
    remove: async () => calls.push(`remove ${id}`),
  });
  return {
    createContainer: async (o: { name: string }) => {
      calls.push(`create ${o.name}`);
      return container(o.name);
    },
    getContainer: (id: string) => container(id),
    listContainers: async () => calls.push('list'),
  } as unknown as Docker;
}

describe('StartGate', () => {
  it('lets creations and starts through until closed, then refuses them before Docker hears of them', async () => {
    const calls: string[] = [];
    const gate = new StartGate();
    const docker = gate.wrap(fakeDocker(calls));
    const a = await docker.createContainer({ name: 'a' });
    await a.start();
    // A creation answered just before the close: its start is refused.
    const b = await docker.createContainer({ name: 'b' });
    gate.close();
    await expect(b.start()).rejects.toBeInstanceOf(NodeStoppingError);
    await expect(docker.createContainer({ name: 'c' })).rejects.toMatchObject({
      code: 'NodeStopping',
    });
    await expect(docker.getContainer('a').start()).rejects.toBeInstanceOf(NodeStoppingError);
    // Removing and listing stay possible: a stopping node cleans up.
    await docker.getContainer('b').remove();
    await docker.listContainers();
    expect(calls).toEqual(['create a', 'start a', 'create b', 'remove b', 'list']);
  });
});
