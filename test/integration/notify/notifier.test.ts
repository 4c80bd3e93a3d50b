import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../../src/notify/index.js';
import type { StoredEvent } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { freePort } from '../../harness/ports.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

/** A receiver on loopback that records what it gets and answers with the next queued status. */
class Receiver {
  readonly received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  statuses: number[] = [];
  private server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body });
      res.writeHead(this.statuses.shift() ?? 200).end();
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const event = (reason: string, type: 'Normal' | 'Warning' = 'Warning'): StoredEvent => ({
  id: '1700000000000-0',
  time: '2026-11-23T10:00:00.000Z',
  type,
  reason,
  object: { kind: 'Source', namespace: '', name: 'shop' },
  message: `something ${reason}`,
  source: 'shop',
  revision: 'a'.repeat(40),
});

describe('Notifier (real HTTP on loopback)', () => {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('POSTs a Kubernetes-shaped Event, signed, only for the reasons and types asked for', async () => {
    const notifier = new Notifier({
      targets: [
        {
          url: receiver.url,
          reasons: ['ValidationFailed'],
          types: ['Warning'],
          secret: { env: 'HOOK_SECRET' },
        },
      ],
      env: { HOOK_SECRET: 'hook-s3cret' },
    });
    notifier.notify(event('ValidationFailed'));
    notifier.notify(event('SourceUnreachable'));
    notifier.notify(event('ValidationFailed', 'Normal'));
    await notifier.drain();
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received.splice(0) as [
      { headers: http.IncomingHttpHeaders; body: string },
    ];
    expect(JSON.parse(body)).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      type: 'Warning',
      reason: 'ValidationFailed',
      involvedObject: { kind: 'Source', name: 'shop' },
      metadata: {
        annotations: { 'berth.dev/source': 'shop', 'berth.dev/revision': 'a'.repeat(40) },
      },
    });
    expect(headers['x-berth-signature']).toBe(
      `sha256=${createHmac('sha256', 'hook-s3cret').update(body).digest('hex')}`,
    );
    expect(headers['x-berth-event']).toBe('ValidationFailed');
    expect(JSON.stringify(headers)).not.toContain('hook-s3cret');
  });

  it('retries a failing receiver with backoff, and gives up quietly on one that never answers', async () => {
    receiver.statuses = [500, 503];
    const retrying = new Notifier({
      targets: [{ url: receiver.url, reasons: [], types: ['Normal', 'Warning'] }],
      retryBaseMs: 20,
    });
    retrying.notify(event('Degraded'));
    await retrying.drain();
    expect(receiver.received.splice(0)).toHaveLength(3);

    const dead = new Notifier({
      targets: [{ url: `http://127.0.0.1:${await freePort()}/`, reasons: [], types: ['Warning'] }],
      retryBaseMs: 10,
      attempts: 2,
    });
    dead.notify(event('Degraded'));
    await expect(dead.drain()).resolves.toBeUndefined();
  });
});

describe('notifications from berth up', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('sends the events of a source to the configured URL', async () => {
    const repo = await initRepo(path.join(dir, 'shop'));
    const good = await commitFiles(
      repo,
      { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n' },
      'First',
    );
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\nnotifications: [{url: "${receiver.url}", reasons: [RevisionValidated]}]\n`,
    );
    const env = await berthEnv(dir, docker.id);
    const berth = startCli(['up', '-c', config], { env, cwd: dir });
    try {
      await berth.waitFor('berth is up');
    } finally {
      await berth.stop();
    }
    expect(receiver.received.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({
        reason: 'RevisionValidated',
        metadata: expect.objectContaining({
          annotations: { 'berth.dev/source': 'shop', 'berth.dev/revision': good },
        }),
      }),
    ]);
  });
});
