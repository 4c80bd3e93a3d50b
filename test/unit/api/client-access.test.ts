import { describe, expect, it } from 'vitest';
import { routeAccess } from '../../../src/api/client-access.js';

// Defence in depth (audit of issue #15): a route registered without an access class must not
// become an anonymous loopback "read" when it changes something; only GET and HEAD default to
// reads, anything else needs the token.
describe('routeAccess', () => {
  it.each([
    ['GET', undefined, 'read'],
    ['HEAD', undefined, 'read'],
    ['POST', undefined, 'act'],
    ['PUT', undefined, 'act'],
    ['DELETE', undefined, 'act'],
    ['PATCH', undefined, 'act'],
    ['POST', 'hook', 'hook'],
    ['POST', 'public', 'public'],
    ['GET', 'act', 'act'],
  ] as const)('%s with %s is %s', (method, declared, access) => {
    expect(routeAccess(method, declared)).toBe(access);
  });
});
