import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, compileConfig, parseConfigText } from '../../../src/config/index.js';

describe('compileConfig', () => {
  it('gives every option its documented default', () => {
    const c = compileConfig({ env: {}, cwd: '/srv' });
    expect(c).toMatchObject({
      instance: 'berth',
      stateDir: '/srv/.berth',
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'berth:berth' },
      docker: { socket: '/var/run/docker.sock' },
      api: { host: '127.0.0.1', port: 7433 },
      network: {
        podCIDR: '10.244.0.0/16',
        serviceCIDR: '10.96.0.0/16',
        clusterDomain: 'cluster.local',
        nodePortRange: { min: 30000, max: 32767 },
        proxyMode: 'iptables',
        infraImage: 'berth.local/pause:1',
        podSandbox: 'whenNeeded',
      },
      policy: { podSecurity: 'baseline', strict: false, ignoredKinds: [], hostPathAllowed: [] },
      sources: [],
    });
  });

  it('lets the environment override the file, and flags override both', () => {
    const file = parseConfigText(
      'apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {url: redis://file:6379}\nsources: [{name: a, repo: ./a}]\n',
      'berth.yaml',
    );
    const env = { BERTH_REDIS_URL: 'redis://env:6380', DOCKER_HOST: 'unix:///run/other.sock' };
    const c = compileConfig({
      file,
      filePath: '/etc/berth/berth.yaml',
      env,
      source: { name: 'b', repo: '../b' },
    });
    expect(c.redis.url).toBe('redis://env:6380');
    expect(c.docker.socket).toBe('/run/other.sock');
    expect(c.sources.map((s) => [s.name, s.repo])).toEqual([['b', path.resolve('/etc/b')]]);
  });

  it("reads a relative {file} secret reference from the configuration file's directory", () => {
    const file = parseConfigText(
      `apiVersion: berth.dev/v1alpha1
kind: BerthConfig
api: {token: {file: keys/api-token}}
secrets: {encryptionKey: {file: /abs/sealing.key}}
registries: [{host: reg.test, username: u, password: {file: keys/reg}}]
notifications: [{url: "https://hooks.test/x", secret: {env: HOOK_SECRET}}]
sources:
  - name: shop
    repo: https://git.example.test/shop.git
    auth: {username: u, password: {file: ./keys/git}}
    webhookSecret: {file: ../shared/hook}
    decryption: {provider: sops, ageKeys: {file: keys/age.txt}}
    review: {forge: github, repository: o/shop, token: {file: keys/gh}}
`,
      'berth.yaml',
    );
    const c = compileConfig({ file, filePath: '/etc/berth/berth.yaml', env: {}, cwd: '/srv' });
    const [s] = c.sources;
    expect(c.api.token).toEqual({ file: '/etc/berth/keys/api-token' });
    expect(c.secrets.encryptionKey).toEqual({ file: '/abs/sealing.key' });
    expect(c.registries[0]?.password).toEqual({ file: '/etc/berth/keys/reg' });
    expect(c.notifications[0]?.secret).toEqual({ env: 'HOOK_SECRET' });
    expect(s?.auth?.password).toEqual({ file: '/etc/berth/keys/git' });
    expect(s?.webhookSecret).toEqual({ file: '/etc/shared/hook' });
    expect(s?.decryption?.ageKeys).toEqual({ file: '/etc/berth/keys/age.txt' });
    expect(s?.review?.token).toEqual({ file: '/etc/berth/keys/gh' });
  });

  it('compiles a source: ref, interval in ms, remote detection, rollback defaults', () => {
    const [s] = compileConfig({
      env: {},
      cwd: '/srv',
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        sources: [
          {
            name: 'shop',
            repo: 'https://git.example.test/shop.git',
            tag: 'v1.2.0',
            interval: '1m30s',
          },
        ],
      },
    }).sources;
    expect(s).toMatchObject({
      remote: true,
      ref: { tag: 'v1.2.0' },
      path: '.',
      intervalMs: 90_000,
      prune: true,
      selfHeal: true,
      rollback: {
        enabled: false,
        maxConsecutive: 3,
        author: { name: 'Berth', email: 'berth@localhost' },
      },
    });
  });

  it.each([
    [
      { name: 'x', repo: '/r', branch: 'main', tag: 'v1' },
      /one of branch, tag or commit, not branch and tag/,
    ],
    [{ name: 'x', repo: 'ssh://host/r.git' }, /only local paths and http\(s\) URLs/],
    [{ name: 'x', repo: '/r', path: '../elsewhere' }, /must stay inside the repository/],
    [
      { name: 'x', repo: '/r', auth: { username: 'u', password: { env: 'P' } } },
      /auth is only for http/,
    ],
  ])('rejects %j', (source, message) => {
    expect(() => compileConfig({ env: {}, source })).toThrow(message);
  });

  it('refuses a branch or tag that is no git ref name (it names a file Berth writes under .git)', () => {
    for (const [key, value, why] of [
      ['branch', '../../../etc/x', 'the ref contains ".."'],
      ['branch', 'main.lock', 'ends with ".lock"'],
      ['tag', 'v1..2', '..'],
    ] as const) {
      const source = { name: 'a', repo: '/r', [key]: value };
      expect(() => compileConfig({ env: {}, source })).toThrow(ConfigError);
      expect(() => compileConfig({ env: {}, source })).toThrow(
        `sources[0].${key} (a): "${value}" is not a git ref name`,
      );
      expect(() => compileConfig({ env: {}, source })).toThrow(why);
    }
    expect(
      compileConfig({ env: {}, source: { name: 'a', repo: '/r', branch: 'release/1.x' } })
        .sources[0]?.ref,
    ).toEqual({ branch: 'release/1.x' });
  });

  it('network.podSandbox: always or whenNeeded, from the file or BERTH_POD_SANDBOX', () => {
    const file = parseConfigText(
      'apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nnetwork: {podSandbox: whenNeeded}\n',
      'berth.yaml',
    );
    expect(compileConfig({ file, env: {} }).network.podSandbox).toBe('whenNeeded');
    expect(compileConfig({ file, env: { BERTH_POD_SANDBOX: 'always' } }).network.podSandbox).toBe(
      'always',
    );
    expect(() => compileConfig({ env: { BERTH_POD_SANDBOX: 'never' } })).toThrow(
      new ConfigError('BERTH_POD_SANDBOX must be always or whenNeeded, not "never"', {
        field: 'network.podSandbox',
      }),
    );
    expect(() =>
      parseConfigText(
        'apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nnetwork: {podSandbox: sometimes}\n',
        'berth.yaml',
      ),
    ).toThrow(/podSandbox/);
  });

  it('rejects duplicate source names and a bad listen address', () => {
    const file = {
      apiVersion: 'berth.dev/v1alpha1' as const,
      kind: 'BerthConfig' as const,
      sources: [
        { name: 'a', repo: '/a' },
        { name: 'a', repo: '/b' },
      ],
    };
    expect(() => compileConfig({ env: {}, file })).toThrow(/"a" is used twice/);
    expect(() => compileConfig({ env: { BERTH_API_LISTEN: '0.0.0.0' } })).toThrow(ConfigError);
  });
});

describe('parseConfigText', () => {
  it('names file, line and column of every problem', () => {
    const text = [
      'apiVersion: berth.dev/v1alpha1',
      'kind: BerthConfig',
      'redis:',
      '  url: http://not-redis',
      'sources:',
      '  - name: shop',
      '    repo: /srv/shop',
      '    intervall: 30s',
      'policy: {podSecurity: loose}',
    ].join('\n');
    let message = '';
    try {
      parseConfigText(text, 'berth.yaml');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('berth.yaml:4:8: redis.url: does not have the expected form');
    expect(message).toContain('berth.yaml:8:5: sources.0.intervall: unknown field');
    expect(message).toContain(
      'berth.yaml:9:23: policy.podSecurity: must be one of "privileged", "baseline", "restricted"',
    );
  });

  it('rejects duplicate keys and YAML syntax errors with positions', () => {
    expect(() => parseConfigText('apiVersion: a\napiVersion: b\n', 'c.yaml')).toThrow(
      /c\.yaml:2:1: Map keys must be unique/,
    );
    expect(() => parseConfigText('kind: [\n', 'c.yaml')).toThrow(/c\.yaml:\d+:\d+:/);
  });
});

describe('credentials in a repository URL', () => {
  it.each([
    'https://user:s3cr3t-token@git.example.com/org/shop.git',
    'https://s3cr3t-token@git.example.com/org/shop.git',
    'http://:s3cr3t-token@127.0.0.1:3000/shop.git',
  ])('refuses %s at load, pointing to auth, without printing the credentials', (repo) => {
    const file = parseConfigText(
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources: [{name: shop, repo: "${repo}"}]\n`,
      'berth.yaml',
    );
    let error: unknown;
    try {
      compileConfig({ env: {}, cwd: '/srv', file });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).toMatch(/sources\[0\] \(shop\): .*credentials.* use auth/);
    expect(text).not.toContain('s3cr3t-token');
  });

  it('refuses a URL with credentials given as --repo too', () => {
    expect(() =>
      compileConfig({
        env: {},
        cwd: '/srv',
        source: { name: 'shop', repo: 'ssh://git:hunter2@example.com/shop.git' },
      }),
    ).toThrow(/^(?!.*hunter2).*$/s);
  });
});
