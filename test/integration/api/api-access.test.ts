import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/index.js';
import type { PlanReport } from '../../../src/plan/index.js';

const TOKEN = 'test-token-0123456789abcdef';

/** A plan callback that records the refs reaching it: a refused ref must never get there. */
function recordingPlans(seen: string[]) {
  return async (source: string, q: { ref?: string; against?: string }) => {
    seen.push(q.ref ?? '<own>');
    if (source !== 'shop') return undefined;
    return {
      source,
      head: { ref: q.ref ?? 'main', sha: 'a'.repeat(40) },
      base: { live: true },
      valid: true,
      impacts: [],
      problems: [],
      plan: {
        actions: [],
        hooks: [],
        skipped: [],
        summary: { create: 0, update: 0, delete: 0, unchanged: 0 },
      },
    } as unknown as PlanReport;
  };
}

/** A non-loopback IPv4 address of this host (Docker's bridge at least), or undefined. */
function outsideAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

describe('API access: token for actions, loopback-only anonymous reads, refs checked, rate limit', () => {
  const seen: string[] = [];
  let api: ApiServer;
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    api = await startApiServer({
      port: 0,
      token: TOKEN,
      plans: recordingPlans(seen),
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', text: 'up 1\n' }),
    });
  });
  afterAll(() => api?.close());

  it('a plan needs the token: 401 without it or with a wrong one, 200 with it', async () => {
    const before = seen.length;
    const none = await fetch(`${api.url}/api/v1/sources/shop/plan?ref=main`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({ error: { code: 'Unauthorized' } });
    const wrong = await fetch(`${api.url}/api/v1/sources/shop/plan?ref=main`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(TOKEN);
    expect(seen.length).toBe(before);
    const ok = await fetch(`${api.url}/api/v1/sources/shop/plan?ref=main`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ kind: 'Plan', spec: { head: { ref: 'main' } } });
    expect(seen.at(-1)).toBe('main');
  });

  it('refuses a ref that is not a git ref name (../../tmp/…) with 400, before any git work', async () => {
    const before = seen.length;
    for (const ref of ['../../tmp/x', 'a/../../b', 'main~1', 'x@{1}', '.hidden', 'a b']) {
      const res = await fetch(
        `${api.url}/api/v1/sources/shop/plan?ref=${encodeURIComponent(ref)}`,
        { headers: auth },
      );
      expect(res.status, ref).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BadRef');
    }
    const against = await fetch(`${api.url}/api/v1/sources/shop/plan?against=..%2Fx`, {
      headers: auth,
    });
    expect(against.status).toBe(400);
    expect(seen.length).toBe(before);
  });

  it('refuses a 15,000-character ref with 400 and keeps answering', async () => {
    const before = seen.length;
    const long = await fetch(`${api.url}/api/v1/sources/shop/plan?ref=${'a~'.repeat(7500)}`, {
      headers: auth,
    });
    expect(long.status).toBe(400);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect(seen.length).toBe(before);
  });

  it('reads are open to loopback clients; a wrong token is refused even there', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/metrics`)).status).toBe(200);
    const wrong = await fetch(`${api.url}/metrics`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${api.url}/metrics`, { headers: auth })).status).toBe(200);
  });

  it('answers the OpenAPI document', async () => {
    const doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/sources/{source}/plan']?.get?.security).toEqual([{ bearer: [] }]);
  });
});

describe('API access: anonymousRead none, clients off loopback, rate limit', () => {
  const outside = outsideAddress();
  let open: ApiServer;
  let closed: ApiServer;
  beforeAll(async () => {
    const metrics = async () => ({ contentType: 'text/plain', text: 'up 1\n' });
    open = await startApiServer({
      port: 0,
      host: '0.0.0.0',
      token: TOKEN,
      metrics,
      readRateLimit: { burst: 5, perMinute: 1 },
    });
    closed = await startApiServer({ port: 0, token: TOKEN, anonymousRead: 'none', metrics });
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('anonymousRead none: even loopback reads need the token', async () => {
    expect((await fetch(`${closed.url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${closed.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
  });

  it.runIf(outside)('a client off loopback reads only with the token', async () => {
    const url = `http://${outside}:${open.port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('past the per-client burst: 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`http://127.0.0.1:${open.port}/healthz`);
      statuses.push(res.status);
      if (res.status === 429) retry = res.headers.get('retry-after');
      await res.text();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(Number(retry)).toBeGreaterThan(0);
  });
});
