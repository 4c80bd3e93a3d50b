import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickEncoding } from '../../../src/api/dashboard/dashboard-assets.js';
import { type ApiServer, StateReader, startApiServer } from '../../../src/api/index.js';
import { SourceStateStore } from '../../../src/store/index.js';
import { useRedis } from '../../harness/redis.js';

/** A raw GET (no automatic decompression): status, headers, bytes. */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
        })
        .on('error', reject);
    },
  );
}

describe('dashboard assets and pages: content-hashed, cached, compressed', () => {
  const redis = useRedis();
  let api: ApiServer;
  beforeAll(async () => {
    await new SourceStateStore(redis.client, redis.prefix).update('shop', {
      repo: '/srv/shop',
      ref: 'branch main',
    });
    api = await startApiServer({
      port: 0,
      state: new StateReader({
        redis: redis.client,
        prefix: redis.prefix,
        instance: 'x',
        sources: [],
      }),
    });
  });
  afterAll(() => api?.close());

  it('links content-hashed assets served immutable, with an ETag that answers 304', async () => {
    const page = await get(`${api.url}/sources/shop`);
    expect(page.status).toBe(200);
    const links = [...page.body.toString().matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link).toMatch(/^\/assets\/dashboard\.[0-9a-f]{12}\.(js|css)$/);
      const plain = await get(`${api.url}${link}`);
      expect(plain.status).toBe(200);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-encoding']).toBeUndefined();
      const etag = plain.headers.etag as string;
      expect(etag).toBe(`"${/\.([0-9a-f]{12})\./.exec(link)?.[1]}"`);
      expect((await get(`${api.url}${link}`, { 'if-none-match': etag })).status).toBe(304);
      const gz = await get(`${api.url}${link}`, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      const br = await get(`${api.url}${link}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      // The plain name still answers, revalidated by the same ETag.
      const name = link.replace(/\.[0-9a-f]{12}\./, '.');
      const old = await get(`${api.url}${name}`);
      expect(old.headers['cache-control']).toBe('no-cache');
      expect(old.headers.etag).toBe(etag);
    }
    expect((await get(`${api.url}/assets/dashboard.000000000000.js`)).status).toBe(404);
  });

  it('compresses a page when the browser accepts it; the bytes are the same page', async () => {
    const plain = await get(`${api.url}/sources/shop`);
    const br = await get(`${api.url}/sources/shop`, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    const gz = await get(`${api.url}/sources/shop`, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gz.body).toString()).toBe(plain.body.toString());
  });

  it('picks the encoding from Accept-Encoding, q-values included', () => {
    expect(pickEncoding(undefined)).toBeUndefined();
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip;q=1, br;q=0')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*, br;q=0')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBeUndefined();
  });
});
