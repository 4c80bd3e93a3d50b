import { describe, expect, it } from 'vitest';
import {
  credentialsFor,
  parseDockerConfig,
  parseImageReference,
  registryKeyMatch,
  repositoryName,
} from '../../../src/images/index.js';
import { nextPage, parseChallenge } from '../../../src/images/registry-client.js';
import { pullPolicy } from '../../../src/node/index.js';

/** A reference the test knows is valid. */
function img(ref: string) {
  const parsed = parseImageReference(ref);
  if (!parsed) throw new Error(`bad reference ${ref}`);
  return parsed;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('image references, normalized as Docker does', () => {
  it.each([
    ['busybox', 'docker.io', 'library/busybox', undefined, undefined],
    ['team/app:1.2', 'docker.io', 'team/app', '1.2', undefined],
    ['127.0.0.1:5000/app:1.0.0', '127.0.0.1:5000', 'app', '1.0.0', undefined],
    ['localhost/a/b', 'localhost', 'a/b', undefined, undefined],
    [
      'ghcr.io/o/r@sha256:' + 'a'.repeat(64),
      'ghcr.io',
      'o/r',
      undefined,
      'sha256:' + 'a'.repeat(64),
    ],
    [
      'reg.example.com:443/x:v1@sha256:' + 'b'.repeat(64),
      'reg.example.com:443',
      'x',
      'v1',
      'sha256:' + 'b'.repeat(64),
    ],
  ])('%s', (ref, registry, repository, tag, digest) => {
    expect(parseImageReference(ref)).toEqual({ registry, repository, tag, digest });
  });
  it.each(['UPPER/case', 'a:b:c', 'x@sha256:short', 'app:', ''])('rejects %j', (ref) => {
    expect(parseImageReference(ref)).toBeUndefined();
  });
  it('names repositories as RepoDigests do', () => {
    expect(repositoryName(img('busybox'))).toBe('busybox');
    expect(repositoryName(img('127.0.0.1:5000/app:1'))).toBe('127.0.0.1:5000/app');
  });
});

describe('imagePullPolicy defaults (the kubelet’s)', () => {
  it.each([
    ['app', 'Always'],
    ['app:latest', 'Always'],
    ['127.0.0.1:5000/app', 'Always'],
    ['127.0.0.1:5000/app:1.0', 'IfNotPresent'],
    ['app@sha256:' + 'c'.repeat(64), 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(pullPolicy({ name: 'c', image })).toBe(policy);
  });
  it('keeps an explicit policy', () => {
    expect(pullPolicy({ name: 'c', image: 'app:latest', imagePullPolicy: 'Never' })).toBe('Never');
  });
});

describe('registry keys match images as the kubelet’s keyring does', () => {
  it.each([
    ['127.0.0.1:5000', '127.0.0.1:5000/app:1', true],
    ['https://127.0.0.1:5000/v2/', '127.0.0.1:5000/app:1', true],
    ['127.0.0.1', '127.0.0.1:5000/app:1', false],
    ['127.0.0.1:5001', '127.0.0.1:5000/app:1', false],
    ['*.example.com', 'reg.example.com/team/app', true],
    ['*.example.com', 'a.reg.example.com/team/app', false],
    ['reg.example.com/team', 'reg.example.com/team/app', true],
    ['reg.example.com/team', 'reg.example.com/teamx/app', false],
    ['https://index.docker.io/v1/', 'busybox', true],
    ['docker.io', 'team/app', true],
    ['index.docker.io', 'reg.example.com/app', false],
  ])('%s for %s: %s', (key, ref, matches) => {
    expect(registryKeyMatch(key, img(ref)) >= 0).toBe(matches);
  });
  it('tries the pull secrets in order, the most specific key first, each pair once, never anonymously after', () => {
    const image = img('reg.example.com/team/app:1');
    const creds = credentialsFor(image, [
      {
        origin: 'Secret a',
        auths: [
          { key: 'reg.example.com', username: 'wide', password: 'p1' },
          { key: 'reg.example.com/team', username: 'narrow', password: 'p2' },
          { key: 'other.example.com', username: 'other', password: 'p3' },
        ],
      },
      {
        origin: 'berth.yaml registries',
        auths: [{ key: 'reg.example.com', username: 'wide', password: 'p1' }],
      },
      { origin: 'docker', auths: [{ key: '*.example.com', username: 'glob', password: 'p4' }] },
    ]);
    expect(creds.map((c) => [c.username, c.origin])).toEqual([
      ['narrow', 'Secret a'],
      ['wide', 'Secret a'],
      ['glob', 'docker'],
    ]);
    expect(creds[0]?.serveraddress).toBe('reg.example.com');
  });
});

describe('Docker config files (pull secrets, ~/.docker/config.json)', () => {
  it('reads auth (which wins) or username and password', () => {
    const text = JSON.stringify({
      auths: {
        'a.example.com': { auth: b64('robot:s3cret:with:colons'), username: 'ignored' },
        'b.example.com': { username: 'u', password: 'p' },
        'c.example.com': { email: 'only@example.com' },
      },
    });
    expect(parseDockerConfig(text, 'dockerconfigjson')).toEqual({
      auths: [
        { key: 'a.example.com', username: 'robot', password: 's3cret:with:colons' },
        { key: 'b.example.com', username: 'u', password: 'p' },
      ],
      problems: [],
    });
  });
  it('reads the old dockercfg shape', () => {
    const text = JSON.stringify({ 'a.example.com': { auth: b64('u:p'), email: 'x' } });
    expect(parseDockerConfig(text, 'dockercfg').auths).toEqual([
      { key: 'a.example.com', username: 'u', password: 'p' },
    ]);
  });
  it.each([
    ['{"auths": {"x": {"auth": "s3cret"}}', 'is not valid JSON'],
    ['["s3cret"]', 'must be a JSON object'],
    ['{"auths": "s3cret"}', '"auths" must be an object'],
    ['{"auths": {"x": "s3cret"}}', 'auths."x" must be an object'],
    ['{"auths": {"x": {"auth": "!s3cret!"}}}', 'auths."x": "auth" must be base64'],
    ['{"auths": {"x": {"username": "s3cret"}}}', 'needs "auth", or both'],
    ['{"auths": {"x": {"password": 5}}}', '"password" must be a string'],
  ])('%s: %s, never quoting the content', (text, problem) => {
    const { problems } = parseDockerConfig(text, 'dockerconfigjson');
    expect(problems.join('\n')).toContain(problem);
    expect(problems.join('\n')).not.toContain('s3cret');
  });
});

describe('registry HTTP API details', () => {
  it('reads a Bearer challenge', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a:pull"',
      ),
    ).toEqual({
      realm: 'https://auth.example.com/token',
      service: 'registry',
      scope: 'repository:a:pull',
    });
  });
  it('follows Link pagination on the same repository only', () => {
    expect(nextPage('</v2/team/app/tags/list?last=b&n=2>; rel="next"', 'team/app')).toBe(
      '/v2/team/app/tags/list?last=b&n=2',
    );
    expect(
      nextPage('<https://evil.example.com/v2/other/tags/list?n=2>; rel="next"', 'team/app'),
    ).toBeUndefined();
    expect(nextPage('', 'team/app')).toBeUndefined();
  });
});
