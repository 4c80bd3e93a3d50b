import { describe, expect, it } from 'vitest';
import {
  formatObjectKey,
  formatSyncKey,
  InvalidKeyError,
  parseObjectKey,
  parseSyncKey,
} from '../../../src/queue/index.js';

const SHA = 'a'.repeat(40);

describe('object keys', () => {
  it.each([
    [{ kind: 'Deployment', namespace: 'default', name: 'web' }, 'Deployment/default/web'],
    [{ kind: 'Namespace', namespace: '', name: 'shop' }, 'Namespace//shop'],
    [{ kind: 'ConfigMap', namespace: 'a-1', name: 'cfg.v2' }, 'ConfigMap/a-1/cfg.v2'],
  ])('formats %j as %s and parses it back', (key, text) => {
    expect(formatObjectKey(key)).toBe(text);
    expect(parseObjectKey(text)).toEqual(key);
  });

  it.each([
    ['Deployment/default', 'kind/namespace/name'],
    ['Deployment/default/web/x', 'kind/namespace/name'],
    ['deployment/default/web', 'kind'],
    ['Deployment/Default/web', 'namespace'],
    ['Deployment/default/', 'name'],
    ['Deployment/default/Web', 'name'],
    [`Deployment/default/${'a'.repeat(254)}`, 'name'],
    ['Deployment/default/web:1', 'name'],
  ])('rejects %s, naming %s', (text, expected) => {
    let caught: unknown;
    try {
      parseObjectKey(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidKeyError);
    expect((caught as InvalidKeyError).code).toBe('InvalidKey');
    expect((caught as InvalidKeyError).message).toContain(expected);
  });

  it('refuses to format a key it could not parse', () => {
    expect(() => formatObjectKey({ kind: 'Pod', namespace: 'x', name: 'a/b' })).toThrow(
      InvalidKeyError,
    );
  });
});

describe('sync keys', () => {
  it('formats source@revision and parses it back', () => {
    expect(formatSyncKey({ source: 'shop', revision: SHA })).toBe(`shop@${SHA}`);
    expect(parseSyncKey(`shop@${SHA}`)).toEqual({ source: 'shop', revision: SHA });
    const sha256 = 'b'.repeat(64);
    expect(parseSyncKey(`s1@${sha256}`).revision).toBe(sha256);
  });

  it.each([
    ['shop', 'source@revision'],
    [`Shop@${SHA}`, 'source'],
    ['shop@main', 'full commit SHA'],
    [`shop@${'a'.repeat(39)}`, 'full commit SHA'],
    [`shop@${'A'.repeat(40)}`, 'full commit SHA'],
  ])('rejects %s, naming %s', (text, expected) => {
    expect(() => parseSyncKey(text)).toThrow(expected);
  });
});
