import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import { freePort } from './ports.js';

const run = promisify(execFile);

/** Where dockerd looks for a registry's CA: the test's own directory is removed after it. */
export const DOCKER_CERTS_DIR = '/etc/docker/certs.d';

/** A running distribution registry (Debian's `docker-registry`) with htpasswd auth and TLS. */
export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry part of image names. */
  host: string;
  /** The test CA (PEM) that signed the server certificate. */
  ca: string;
  /** A Docker config directory logged in to the registry (DOCKER_CONFIG for the docker CLI). */
  dockerConfig: string;
  /** The user and password the registry accepts. */
  user: { name: string; password: string };
  /**
   * Builds an image FROM the local busybox whose `/version` says `version` and whose command
   * prints it and sleeps, pushes it as `<host>/<repo>:<tag>`, removes the local copy (so that a
   * pull really pulls), and returns the pushed digest.
   */
  push(repo: string, tag: string, version?: string): Promise<string>;
  /** The registry's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A registry for the calling test file, stopped (process, certs.d entry, images, files) after
 * it. Call it before `useDocker`/`useNode`: after-hooks run last-registered first, so the pods'
 * containers are gone when the registry removes its images.
 */
export function useRegistry(): { get: () => TestRegistry; start: () => Promise<TestRegistry> } {
  let registry: TestRegistry | undefined;
  afterAll(async () => {
    await registry?.stop();
  });
  return {
    get: () => {
      if (!registry) throw new Error('the registry is not started');
      return registry;
    },
    start: async () => {
      registry = await startRegistry();
      return registry;
    },
  };
}

/** Starts a registry on 127.0.0.1, TLS from a fresh test CA that dockerd trusts, htpasswd auth. */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const certsDir = path.join(DOCKER_CERTS_DIR, host);
  const user = { name: 'robot', password: randomBytes(12).toString('hex') };
  let child: ChildProcess | undefined;
  let output = '';
  const pushed = new Set<string>();
  const stop = async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
    for (const ref of pushed) await run('docker', ['rmi', '-f', ref]).catch(() => undefined);
    // Pulled images too (tagged or by digest only): every image of a repository of this registry.
    const leftovers = await run('docker', [
      'images',
      '--digests',
      '--format',
      '{{.Repository}} {{.ID}}',
    ])
      .then((r) =>
        r.stdout
          .split('\n')
          .filter((l) => l.startsWith(`${host}/`))
          .map((l) => l.split(' ')[1] as string),
      )
      .catch(() => [] as string[]);
    if (leftovers.length)
      await run('docker', ['rmi', '-f', ...new Set(leftovers)]).catch(() => undefined);
    rmSync(certsDir, { recursive: true, force: true });
    try {
      rmdirSync(DOCKER_CERTS_DIR); // only when no other registry's CA is left in it
    } catch {
      // not empty, or gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ca = makeCertificates(dir);
    writeFileSync(
      path.join(dir, 'htpasswd'),
      execFileSync('htpasswd', ['-Bbn', user.name, user.password]),
    );
    writeFileSync(
      path.join(dir, 'config.yml'),
      [
        'version: 0.1',
        'log: {level: info, formatter: text}',
        'storage:',
        `  filesystem: {rootdirectory: ${path.join(dir, 'data')}}`,
        '  delete: {enabled: true}',
        'http:',
        `  addr: ${host}`,
        `  secret: ${randomBytes(16).toString('hex')}`,
        `  tls: {certificate: ${path.join(dir, 'server.crt')}, key: ${path.join(dir, 'server.key')}}`,
        'auth:',
        `  htpasswd: {realm: berth-test, path: ${path.join(dir, 'htpasswd')}}`,
        '',
      ].join('\n'),
    );
    mkdirSync(certsDir, { recursive: true });
    writeFileSync(path.join(certsDir, 'ca.crt'), ca);
    child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await waitUntilServing(host, ca, () => output);
    const dockerConfig = path.join(dir, 'docker-config');
    mkdirSync(dockerConfig);
    const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
    await new Promise<void>((resolve, reject) => {
      const login = spawn('docker', ['login', '-u', user.name, '--password-stdin', host], { env });
      let err = '';
      login.stderr.on('data', (c: Buffer) => (err += c.toString()));
      login.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`docker login: ${err}`)),
      );
      login.stdin.end(user.password);
    });
    const push = async (repo: string, tag: string, version = tag) => {
      const ref = `${host}/${repo}:${tag}`;
      const context = mkdtempSync(path.join(dir, 'build-'));
      writeFileSync(path.join(context, 'version'), `${version}\n`);
      writeFileSync(
        path.join(context, 'Dockerfile'),
        `FROM berth.local/busybox:1\nCOPY version /version\nCMD ["sh", "-c", "cat /version; exec sleep 3600"]\n`,
      );
      pushed.add(ref);
      await run('docker', ['build', '-q', '-t', ref, context], {
        env: { ...env, DOCKER_BUILDKIT: '0' },
      });
      const { stdout } = await run('docker', ['push', ref], { env });
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
      if (!digest) throw new Error(`docker push printed no digest: ${stdout}`);
      await run('docker', ['rmi', ref]);
      rmSync(context, { recursive: true, force: true });
      return digest;
    };
    return { host, ca, dockerConfig, user, push, log: () => output, stop };
  } catch (err) {
    await stop();
    throw new Error(`the test registry did not start: ${String(err)}\n${output}`);
  }
}

/** A CA and a server certificate for 127.0.0.1 signed by it (openssl); returns the CA's PEM. */
function makeCertificates(dir: string): string {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=Berth test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  ssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  );
  return readFileSync(path.join(dir, 'ca.crt'), 'utf8');
}

/** Polls `https://host/v2/` (trusting `ca`) until it answers 401 (auth required). */
async function waitUntilServing(host: string, ca: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const req = https.get(`https://${host}/v2/`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 401) return;
    if (Date.now() > deadline) throw new Error(`registry on ${host} never answered: ${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
