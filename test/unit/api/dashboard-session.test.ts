import { describe, expect, it } from 'vitest';
import { localPath } from '../../../src/api/dashboard/login-routes.js';
import { readCookie, sameOrigin, sessionCookie } from '../../../src/api/session-cookie.js';
import { SessionStore } from '../../../src/api/session-store.js';
import { asResource, sourceView, viewOfResource } from '../../../src/kubectl/source-resource.js';

describe('dashboard sessions', () => {
  it('are opaque, distinct, and end at their expiry or at logout', () => {
    let now = 1_000;
    const store = new SessionStore({ ttlMs: 5_000, now: () => now });
    const a = store.create();
    const b = store.create();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.csrf).not.toBe(a.id);
    expect(store.get(a.id)).toBe(a);
    expect(store.get(undefined)).toBeUndefined();
    expect(store.get('forged')).toBeUndefined();
    store.delete(b.id);
    expect(store.get(b.id)).toBeUndefined();
    now += 5_000;
    expect(store.get(a.id)).toBeUndefined();
    expect(store.ttlSeconds).toBe(5);
  });

  it('keep at most `max` sessions, ending the oldest', () => {
    const store = new SessionStore({ max: 2 });
    const [a, b, c] = [store.create(), store.create(), store.create()];
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(b.id)).toBe(b);
    expect(store.get(c.id)).toBe(c);
  });

  it('cookie: HttpOnly, SameSite=Strict, Secure only over TLS; read back by name', () => {
    expect(sessionCookie('abc', 60, false)).toBe(
      'berth_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie('abc', 60, true)).toMatch(/; Secure$/);
    expect(readCookie({ cookie: 'a=1; berth_session=xyz; b=2' }, 'berth_session')).toBe('xyz');
    expect(readCookie({ cookie: 'xberth_session=1' }, 'berth_session')).toBeUndefined();
    expect(readCookie({}, 'berth_session')).toBeUndefined();
  });

  it('same origin: no Origin header, or exactly scheme://Host', () => {
    expect(sameOrigin({ host: '10.1.2.1:7433' }, 'http')).toBe(true);
    expect(sameOrigin({ host: '10.1.2.1:7433', origin: 'http://10.1.2.1:7433' }, 'http')).toBe(
      true,
    );
    expect(sameOrigin({ host: '10.1.2.1:7433', origin: 'http://evil.example' }, 'http')).toBe(
      false,
    );
    expect(sameOrigin({ host: '10.1.2.1:7433', origin: 'null' }, 'http')).toBe(false);
    expect(sameOrigin({ host: 'h:1', origin: 'http://h:1' }, 'https')).toBe(false);
  });

  it('after login, goes only to a path of this server', () => {
    expect(localPath('/sources/shop?x=1')).toBe('/sources/shop?x=1');
    for (const bad of [
      '//evil.example/',
      'http://evil.example/',
      '/\\evil',
      'sources',
      '',
      '/a b',
      '/login',
      '/logout',
      undefined,
      42,
    ])
      expect(localPath(bad), String(bad)).toBe('/');
  });
});

describe('a Source resource read back into its view', () => {
  it('gives the same resource again (what berth status prints through the API)', () => {
    const views = [
      sourceView('unseen', undefined, undefined),
      sourceView(
        'shop',
        {
          name: 'shop',
          repo: '/srv/shop',
          ref: 'branch main',
          prune: true,
          selfHeal: true,
          suspended: true,
          sync: 'Synced',
          health: 'Degraded',
          target: 'b'.repeat(40),
          targetSubject: 'Bump',
          applied: 'a'.repeat(40),
          appliedAt: '2026-12-01T00:00:00Z',
          lastSyncTime: '2026-12-01T00:00:01Z',
          ready: 1,
          total: 3,
          pinned: 'c'.repeat(40),
          flag: 'rollback refused',
          lastHealthy: 'a'.repeat(40),
          rollbacks: 2,
          healthMessage: 'crash loop',
        } as never,
        undefined,
      ),
    ];
    for (const v of views) {
      const resource = asResource(v);
      expect(asResource(viewOfResource(resource))).toEqual(resource);
      expect(viewOfResource(resource)).toEqual(v);
    }
  });
});
