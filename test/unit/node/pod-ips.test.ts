import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { PodIPs } from '../../../src/node/pod-ips.js';

/** A Docker client that answers the two calls PodIPs makes: the network and the pod containers. */
function fakeDocker(
  subnet: string,
  endpoints: string[] = [],
  labelled: Array<{ uid: string; ip: string }> = [],
  gateway?: string,
): Docker {
  return {
    getNetwork: () => ({
      inspect: async () => ({
        IPAM: { Config: [{ Subnet: subnet, ...(gateway ? { Gateway: gateway } : {}) }] },
        Containers: Object.fromEntries(
          endpoints.map((ip, i) => [`c${i}`, { IPv4Address: `${ip}/${subnet.split('/')[1]}` }]),
        ),
      }),
    }),
    listContainers: async () =>
      labelled.map(({ uid, ip }) => ({
        Labels: { 'io.berth.pod-uid': uid, 'io.berth.pod-ip': ip },
      })),
  } as unknown as Docker;
}

describe('PodIPs', () => {
  it('hands out addresses after the gateway, one per pod, the same one each time', async () => {
    const ips = new PodIPs(fakeDocker('10.0.0.0/29'), 'i', 'net');
    expect(await ips.ipFor('a')).toBe('10.0.0.2');
    expect(await ips.ipFor('b')).toBe('10.0.0.3');
    expect(await ips.ipFor('a')).toBe('10.0.0.2');
  });

  it('never hands out the network, gateway or broadcast address, and says when the range is full', async () => {
    // /29: .0 network, .1 gateway, .7 broadcast: .2 to .6 are pods'.
    const ips = new PodIPs(fakeDocker('10.0.0.0/29'), 'i', 'net');
    const got = [];
    for (const uid of ['a', 'b', 'c', 'd', 'e']) got.push(await ips.ipFor(uid));
    expect(got).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    await expect(ips.ipFor('f')).rejects.toMatchObject({
      code: 'PodIPRangeFull',
      message:
        'no free address left in the pod network 10.0.0.0/29 for pod f (6 host addresses, all in use); delete pods or set a wider network.podCIDR',
    });
  });

  it('a gateway Docker put elsewhere is avoided too', async () => {
    const ips = new PodIPs(fakeDocker('10.0.0.0/29', [], [], '10.0.0.2'), 'i', 'net');
    expect(await ips.ipFor('a')).toBe('10.0.0.1');
    expect(await ips.ipFor('b')).toBe('10.0.0.3');
  });

  it('reuses a released address last (round-robin), not at once', async () => {
    const ips = new PodIPs(fakeDocker('10.0.0.0/29'), 'i', 'net');
    await ips.ipFor('a');
    await ips.ipFor('b');
    ips.release('a');
    expect(await ips.ipFor('c')).toBe('10.0.0.4');
    expect(await ips.ipFor('d')).toBe('10.0.0.5');
    expect(await ips.ipFor('e')).toBe('10.0.0.6');
    expect(await ips.ipFor('f')).toBe('10.0.0.2');
  });

  it('after a restart: pods keep the addresses in their labels, and anything on the network is avoided', async () => {
    const docker = fakeDocker(
      '10.0.0.0/28',
      ['10.0.0.2', '10.0.0.5'],
      [
        { uid: 'a', ip: '10.0.0.5' },
        { uid: 'b', ip: '10.0.0.3' },
      ],
    );
    const ips = new PodIPs(docker, 'i', 'net');
    expect(await ips.ipFor('a')).toBe('10.0.0.5');
    expect(await ips.ipFor('b')).toBe('10.0.0.3');
    // New pods start after the highest address in use, skipping a foreign one (.2).
    expect(await ips.ipFor('c')).toBe('10.0.0.6');
  });

  /** Docker now shows a container of pod `holder` at `ip` on the network. */
  function holding(docker: Docker, ip: string, holder: string): void {
    Object.assign(docker, {
      getNetwork: () => ({
        inspect: async () => ({
          IPAM: { Config: [{ Subnet: '10.0.0.0/29' }] },
          Containers: { c: { IPv4Address: `${ip}/29` } },
        }),
      }),
      getContainer: () => ({
        inspect: async () => ({ Config: { Labels: { 'io.berth.pod-uid': holder } } }),
      }),
    });
  }

  it('an address another container holds goes to it, the pod gets another', async () => {
    const docker = fakeDocker('10.0.0.0/29');
    const ips = new PodIPs(docker, 'i', 'net');
    expect(await ips.ipFor('a')).toBe('10.0.0.2');
    holding(docker, '10.0.0.2', 'intruder');
    await ips.conflict('a', '10.0.0.2');
    expect(await ips.ipFor('a')).toBe('10.0.0.3');
    ips.release('a');
    for (const uid of ['b', 'c', 'd', 'e']) expect(await ips.ipFor(uid)).not.toBe('10.0.0.2');
  });

  it("an address the pod's own exiting container still holds stays the pod's", async () => {
    const docker = fakeDocker('10.0.0.0/29');
    const ips = new PodIPs(docker, 'i', 'net');
    expect(await ips.ipFor('a')).toBe('10.0.0.2');
    holding(docker, '10.0.0.2', 'a');
    await ips.conflict('a', '10.0.0.2');
    expect(await ips.ipFor('a')).toBe('10.0.0.2');
  });

  it('a network without an IPv4 subnet is a clear error, and is looked at again next time', async () => {
    let calls = 0;
    const docker = {
      getNetwork: () => ({
        inspect: async () => {
          calls++;
          return { IPAM: { Config: [] }, Containers: {} };
        },
      }),
      listContainers: async () => [],
    } as unknown as Docker;
    const ips = new PodIPs(docker, 'i', 'net');
    await expect(ips.ipFor('a')).rejects.toMatchObject({ code: 'PodNetworkUnaddressed' });
    await expect(ips.ipFor('a')).rejects.toMatchObject({ code: 'PodNetworkUnaddressed' });
    expect(calls).toBe(2);
  });
});
