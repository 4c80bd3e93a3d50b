// The node's Ingress controller against a real Redis object store and a real proxy: backends
// are HTTP servers on the host's loopback (the proxy's traffic is tested with containers in
// ingress-proxy.test.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTROLLERS,
  type ControllerDeps,
  IngressRoutes,
  type NodeServices,
  objectReconciler,
  serviceProxyController,
} from '../../../src/controllers/index.js';
import { IngressProxy } from '../../../src/network/ingress/index.js';
import { type ObjectInput, RedisEventStore, RedisObjectStore } from '../../../src/store/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { useRedis } from '../../harness/redis.js';
import { selfSigned, tlsSecret } from '../../harness/self-signed.js';
import { endpoints, get, ingress, service } from './ingress-fixture.js';

const redis = useRedis();
const store = new RedisObjectStore(redis.client, redis.prefix);
const events = new RedisEventStore(redis.client, redis.prefix);
const logger = createLogger({ level: 'silent' });
const deps: ControllerDeps = {
  store,
  events,
  enqueue: async () => {},
  enqueueNode: async () => {},
  now: () => new Date(),
  logger,
};
const cert = selfSigned(['shop.test']);
let backend: http.Server;
let backendPort: number;
let proxy: IngressProxy;
let controller: ReturnType<typeof objectReconciler>;

/** Runs the node queue's Ingress controllers for one key (an Ingress, or a Service whose endpoints changed). */
async function reconcile(key: string): Promise<void> {
  const ctx = { key, attempt: 1, signal: new AbortController().signal, log: logger };
  await controller(ctx, key);
}

async function put(object: { kind: string; metadata: object }, apiVersion = 'v1'): Promise<void> {
  await store.apply({ apiVersion, ...object } as ObjectInput);
}

const SHOP = ingress(
  'shop',
  { 'shop.test': [['/', 'Prefix', 'web']] },
  { tls: [{ hosts: ['shop.test'], secretName: 'shop-tls' }] },
);

beforeAll(async () => {
  backend = http.createServer((req, res) => res.end(`hello from ${req.url}`));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendPort = (backend.address() as AddressInfo).port;
  proxy = await IngressProxy.start({ port: 0, tlsPort: 0 });
  // The node queue's Ingress controllers, with the Ingress routes of this proxy (no pods here).
  controller = objectReconciler({
    deps: {
      ...deps,
      node: { ingress: new IngressRoutes(proxy) } as Partial<NodeServices> as NodeServices,
    },
    queue: 'node',
    suspended: async () => false,
    controllers: CONTROLLERS.filter((c) => c.queue === 'node' && c !== serviceProxyController),
  });
});

afterAll(async () => {
  await proxy?.close();
  backend?.close();
});

describe('Ingress controller (real Redis store, real proxy)', () => {
  it('warns about a missing Service and Secret, once, and answers 503', async () => {
    await put(SHOP, 'networking.k8s.io/v1');
    await reconcile('Ingress/default/shop');
    await reconcile('Ingress/default/shop');
    const warnings = await events.forObject({
      kind: 'Ingress',
      namespace: 'default',
      name: 'shop',
    });
    expect(warnings.map((e) => [e.type, e.reason]).sort()).toEqual([
      ['Warning', 'SecretNotFound'],
      ['Warning', 'ServiceNotFound'],
    ]);
    expect(warnings.map((e) => e.message).join('\n')).toContain('Service default/web not found');
    expect((await get(proxy.addresses().http.port, 'shop.test', '/')).status).toBe(503);
  });

  it('serves the ready endpoints once the Service and its Endpoints exist', async () => {
    await put(service('web'));
    await put(endpoints('web', ['127.0.0.1'], [], backendPort));
    await reconcile('Service/default/web');
    const reply = await get(proxy.addresses().http.port, 'shop.test', '/cart');
    expect(reply).toMatchObject({ status: 200, body: 'hello from /cart' });
  });

  it('serves HTTPS once the TLS Secret exists, and never puts the key in an event', async () => {
    await put(tlsSecret('default', 'shop-tls', cert));
    await reconcile('Ingress/default/shop');
    const port = proxy.addresses().https?.port as number;
    const reply = await get(port, 'shop.test', '/pay', { ca: cert.cert });
    expect(reply).toMatchObject({ status: 200, body: 'hello from /pay' });
    const all = JSON.stringify(await events.recent({ limit: 100 }));
    expect(all).not.toContain(cert.key.split('\n')[1]);
  });

  it('writes where the Ingress is served to its status', async () => {
    const stored = await store.get('Ingress/default/shop');
    const { http: plain, https } = proxy.addresses();
    expect(stored?.status).toEqual({
      loadBalancer: {
        ingress: [
          {
            ip: '127.0.0.1',
            ports: [
              { port: plain.port, protocol: 'TCP' },
              { port: https?.port, protocol: 'TCP' },
            ],
          },
        ],
      },
    });
  });

  it('answers 503 when the endpoints turn not ready', async () => {
    await put(endpoints('web', [], ['127.0.0.1'], backendPort));
    await reconcile('Service/default/web');
    expect((await get(proxy.addresses().http.port, 'shop.test', '/')).status).toBe(503);
  });

  it('answers 404 once the Ingress is deleted', async () => {
    await put(endpoints('web', ['127.0.0.1'], [], backendPort));
    await reconcile('Service/default/web');
    expect((await get(proxy.addresses().http.port, 'shop.test', '/')).status).toBe(200);
    await store.delete('Ingress/default/shop');
    await reconcile('Ingress/default/shop');
    expect((await get(proxy.addresses().http.port, 'shop.test', '/')).status).toBe(404);
  });
});
