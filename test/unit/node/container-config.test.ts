import { describe, expect, it } from 'vitest';
import { containerCreateOptions } from '../../../src/node/container-config.js';
import { compileNodeOptions } from '../../../src/node/node-options.js';
import type { Container, Pod } from '../../../src/node/pod-spec.js';
import {
  aloneLabels,
  needsNoSandbox,
  podNetworkOptions,
  sandboxCreateOptions,
  sandboxSpecHash,
} from '../../../src/node/sandbox-config.js';
import { schedulingWarnings } from '../../../src/node/scheduling-warnings.js';

const ctx = {
  instance: 'prod',
  sandboxId: 'sbx',
  role: 'app' as const,
  restartCount: 2,
  env: ['A=1', 'B=two'],
  binds: ['/h:/c:ro'],
  imageUser: '',
};

function pod(spec: Partial<Pod['spec']>, container: Partial<Container> = {}): Pod {
  return {
    metadata: { name: 'api', namespace: 'shop', uid: 'uid-1' },
    spec: { containers: [{ name: 'main', image: 'img:1', ...container }], ...spec },
  };
}

describe('containerCreateOptions', () => {
  it('joins the sandbox and maps command, args, limits, requests and labels', () => {
    const p = pod(
      {},
      {
        command: ['sh', '-c'],
        args: ['echo $(B)'],
        workingDir: '/w',
        tty: true,
        stdin: true,
        resources: { limits: { cpu: '250m', memory: '100Mi' }, requests: { cpu: '100m' } },
      },
    );
    const o = containerCreateOptions(p, p.spec.containers[0] as Container, ctx);
    expect(o).toMatchObject({
      name: 'prod_shop_api_main',
      Image: 'img:1',
      Entrypoint: ['sh', '-c'],
      Cmd: ['echo two'],
      WorkingDir: '/w',
      Env: ['A=1', 'B=two'],
      Tty: true,
      OpenStdin: true,
      HostConfig: {
        NetworkMode: 'container:sbx',
        IpcMode: 'container:sbx',
        Binds: ['/h:/c:ro'],
        RestartPolicy: { Name: 'no' },
        Memory: 100 * 1024 * 1024,
        MemorySwap: 100 * 1024 * 1024,
        NanoCpus: 250_000_000,
        CpuShares: 102,
      },
    });
    expect(o.HostConfig?.PidMode).toBeUndefined();
    expect(o.Labels).toMatchObject({
      'io.berth.managed': 'true',
      'io.berth.instance': 'prod',
      'io.berth.namespace': 'shop',
      'io.berth.pod': 'api',
      'io.berth.container': 'main',
      'io.berth.restart-count': '2',
      'io.berth.container-role': 'app',
    });
    expect(o.Labels?.['io.berth.spec-hash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('shares the PID namespace with shareProcessNamespace, the host one with hostPID', () => {
    const shared = pod({ shareProcessNamespace: true });
    expect(
      containerCreateOptions(shared, shared.spec.containers[0] as Container, ctx).HostConfig
        ?.PidMode,
    ).toBe('container:sbx');
    const host = pod({ hostPID: true, hostIPC: true });
    const o = containerCreateOptions(host, host.spec.containers[0] as Container, ctx);
    expect(o.HostConfig).toMatchObject({ PidMode: 'host', IpcMode: 'host' });
  });

  it('maps pod and container securityContext, the container winning', () => {
    const p = pod(
      {
        securityContext: {
          runAsUser: 1000,
          runAsGroup: 3000,
          supplementalGroups: [4000],
          fsGroup: 2000,
          seccompProfile: { type: 'Unconfined' },
        },
      },
      {
        securityContext: {
          runAsUser: 1001,
          readOnlyRootFilesystem: true,
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL', 'CAP_CHOWN'] },
          allowPrivilegeEscalation: false,
          privileged: false,
        },
      },
    );
    const o = containerCreateOptions(p, p.spec.containers[0] as Container, ctx);
    expect(o.User).toBe('1001:3000');
    expect(o.HostConfig).toMatchObject({
      GroupAdd: ['4000', '2000'],
      ReadonlyRootfs: true,
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['ALL', 'CHOWN'],
      SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'],
    });
    expect(o.HostConfig?.Privileged).toBeUndefined();
  });

  it.each([
    [{ runAsNonRoot: true }, ''],
    [{ runAsNonRoot: true, runAsUser: 0 }, '1000'],
    [{ runAsNonRoot: true }, 'root'],
    [{ runAsNonRoot: true }, 'nobody'],
  ])('refuses runAsNonRoot %j with image user %j', (sc, imageUser) => {
    const p = pod({}, { securityContext: sc });
    expect(() =>
      containerCreateOptions(p, p.spec.containers[0] as Container, { ...ctx, imageUser }),
    ).toThrow(expect.objectContaining({ code: 'CreateContainerConfigError' }));
  });

  it('accepts runAsNonRoot with a numeric non-root image user', () => {
    const p = pod({}, { securityContext: { runAsNonRoot: true } });
    expect(() =>
      containerCreateOptions(p, p.spec.containers[0] as Container, { ...ctx, imageUser: '65534' }),
    ).not.toThrow();
  });
});

describe('sandboxCreateOptions', () => {
  const opts = compileNodeOptions({
    docker: {} as never,
    instance: 'prod',
    clusterDns: ['10.96.0.10'],
  });

  it('sets hostname, domain, DNS, host aliases and host ports', () => {
    const p = pod(
      {
        hostname: 'db-0',
        subdomain: 'db',
        hostAliases: [{ ip: '192.0.2.9', hostnames: ['a.example', 'b.example'] }],
        dnsConfig: {
          nameservers: ['192.0.2.53'],
          searches: ['corp.example'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
      },
      {
        ports: [
          { containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1' },
          { containerPort: 53, protocol: 'UDP', hostPort: 5353 },
          { containerPort: 9000 },
        ],
      },
    );
    const o = sandboxCreateOptions(p, opts);
    expect(o).toMatchObject({
      name: 'prod_shop_api_POD',
      Image: 'berth.local/pause:1',
      Hostname: 'db-0',
      Domainname: 'db.shop.svc.cluster.local',
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      HostConfig: {
        NetworkMode: 'prod_cluster',
        IpcMode: 'shareable',
        PortBindings: {
          '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
          '53/udp': [{ HostIp: '', HostPort: '5353' }],
        },
        ExtraHosts: ['a.example:192.0.2.9', 'b.example:192.0.2.9'],
        Dns: ['10.96.0.10', '192.0.2.53'],
        DnsSearch: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
        DnsOptions: ['ndots:2', 'edns0'],
      },
    });
    expect(JSON.parse(o.Labels?.['io.berth.pod-spec'] as string)).toEqual({
      metadata: p.metadata,
      spec: p.spec,
    });
  });

  it('dnsPolicy None uses only dnsConfig; hostNetwork uses the host network', () => {
    const none = sandboxCreateOptions(
      pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'] } }),
      opts,
    );
    expect(none.HostConfig?.Dns).toEqual(['192.0.2.1']);
    expect(none.HostConfig?.DnsSearch).toBeUndefined();
    const host = sandboxCreateOptions(pod({ hostNetwork: true }), opts);
    expect(host.HostConfig?.NetworkMode).toBe('host');
    expect(host.Hostname).toBeUndefined();
  });
});

describe('schedulingWarnings', () => {
  it('warns once for each scheduling-only field', () => {
    expect(
      schedulingWarnings(
        pod({ nodeSelector: { disk: 'ssd' }, tolerations: [], serviceAccountName: 'sa' }),
      ),
    ).toEqual([
      'spec.serviceAccountName has no effect on a single Docker host',
      'spec.nodeSelector has no effect on a single Docker host',
      'spec.tolerations has no effect on a single Docker host',
    ]);
    expect(schedulingWarnings(pod({}))).toEqual([]);
  });
});

describe('a pod without a sandbox (network.podSandbox whenNeeded)', () => {
  const opts = compileNodeOptions({
    docker: {} as never,
    instance: 'prod',
    podCIDR: '10.244.0.0/16',
    podSandbox: 'whenNeeded',
    clusterDns: ['10.96.0.10'],
  });

  it('only pods nothing else would join run without one', () => {
    const two = pod({});
    two.spec.containers.push({ name: 'side', image: 'img:1' });
    expect(needsNoSandbox(pod({}))).toBe(true);
    expect(needsNoSandbox(two)).toBe(false);
    expect(needsNoSandbox(pod({ initContainers: [{ name: 'i', image: 'img:1' }] }))).toBe(false);
    expect(needsNoSandbox(pod({ shareProcessNamespace: true }))).toBe(false);
    expect(needsNoSandbox(pod({ hostNetwork: true }))).toBe(false);
  });

  it('its container holds the pod-level settings, the assigned address and the pod itself', () => {
    const p = pod(
      { hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '192.0.2.9', hostnames: ['a'] }] },
      { ports: [{ containerPort: 80, hostPort: 8080 }] },
    );
    const alone = { ip: '10.244.0.7', startTime: '2026-12-03T00:00:00Z' };
    const { sandboxId: _, ...rest } = ctx;
    const o = containerCreateOptions(p, p.spec.containers[0] as Container, {
      ...rest,
      alone: { options: podNetworkOptions(p, opts, alone.ip), labels: aloneLabels(p, alone) },
    });
    expect(o).toMatchObject({
      name: 'prod_shop_api_main',
      Hostname: 'db-0',
      Domainname: 'db.shop.svc.cluster.local',
      ExposedPorts: { '80/tcp': {} },
      NetworkingConfig: {
        EndpointsConfig: { prod_cluster: { IPAMConfig: { IPv4Address: '10.244.0.7' } } },
      },
      HostConfig: {
        NetworkMode: 'prod_cluster',
        IpcMode: 'private',
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
        ExtraHosts: ['a:192.0.2.9'],
        Dns: ['10.96.0.10'],
        Binds: ['/h:/c:ro'],
        RestartPolicy: { Name: 'no' },
      },
      Labels: {
        'io.berth.container-role': 'app',
        'io.berth.pod-ip': '10.244.0.7',
        'io.berth.sandbox-hash': sandboxSpecHash(p),
        'io.berth.pod-start-time': '2026-12-03T00:00:00Z',
      },
    });
    expect(o.HostConfig?.PidMode).toBeUndefined();
    expect(JSON.parse(o.Labels?.['io.berth.pod-spec'] as string)).toEqual({
      metadata: p.metadata,
      spec: p.spec,
    });
  });

  it('a sandbox gets the assigned address too; without a pod CIDR every pod has a sandbox', () => {
    const o = sandboxCreateOptions(pod({}, {}), opts, '10.244.0.9');
    expect(o.NetworkingConfig).toEqual({
      EndpointsConfig: { prod_cluster: { IPAMConfig: { IPv4Address: '10.244.0.9' } } },
    });
    expect(o.Labels?.['io.berth.pod-ip']).toBe('10.244.0.9');
    expect(
      compileNodeOptions({ docker: {} as never, instance: 'x', podSandbox: 'whenNeeded' })
        .podSandbox,
    ).toBe('always');
  });
});
