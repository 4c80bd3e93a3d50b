import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { git } from './git.js';

/** Options of {@link startGitServer}. */
export interface GitServerOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`). */
  root: string;
  /** Basic-auth credentials every request must carry. Default `berth` / `s3cret-token`. */
  username?: string;
  password?: string;
  /** Port to listen on (127.0.0.1). Default: a free one; a restart reuses the same. */
  port?: number;
}

/** One request the server saw, for assertions (the password is never recorded). */
export interface GitRequest {
  method: string;
  path: string;
  service: string | null;
  user: string | null;
  status: number;
}

/**
 * A real Git smart-HTTP server for tests: `git http-backend` (the CGI git ships) behind a small
 * Node HTTP server with basic auth on 127.0.0.1. It can be stopped and started again on the
 * same port (to test an unreachable remote), and can refuse pushes (to test a denied push).
 */
export class GitServer {
  readonly root: string;
  readonly username: string;
  readonly password: string;
  readonly requests: GitRequest[] = [];
  /** When true, pushes are refused with 403 (the credentials lack write access). */
  denyPush = false;
  private server: http.Server | undefined;
  private port: number;

  constructor(options: GitServerOptions) {
    this.root = options.root;
    this.username = options.username ?? 'berth';
    this.password = options.password ?? 's3cret-token';
    this.port = options.port ?? 0;
    mkdirSync(this.root, { recursive: true });
  }

  /** Base URL, without credentials: `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** URL of a repository, without credentials. */
  repoUrl(name: string): string {
    return `${this.url}/${name}.git`;
  }

  /** URL of a repository with the credentials in it, for the `git` command line. */
  authedRepoUrl(name: string): string {
    return `http://${encodeURIComponent(this.username)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${name}.git`;
  }

  /** Creates an empty bare repository `<name>.git` whose HEAD is `branch`. */
  async createRepo(name: string, branch = 'main'): Promise<string> {
    const dir = path.join(this.root, `${name}.git`);
    await git(this.root, 'init', '--bare', '--quiet', `--initial-branch=${branch}`, dir);
    return dir;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: clients now see "connection refused". */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const service =
      url.searchParams.get('service') ?? (url.pathname.match(/(git-[a-z-]+)$/)?.[1] || null);
    const record = (status: number, user: string | null) =>
      this.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        service,
        user,
        status,
      });
    const user = this.authenticate(req.headers.authorization);
    if (user === null) {
      record(401, null);
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="berth-test"' })
        .end('authentication required\n');
      return;
    }
    if (this.denyPush && service === 'git-receive-pack') {
      record(403, user);
      res.writeHead(403).end('push denied\n');
      return;
    }
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method,
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: user,
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else res.setHeader(name, value);
      }
      record(status, user);
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    child.stdout.on('end', () => res.end());
    child.on('error', () => res.writeHead(500).end());
  }

  private authenticate(header: string | undefined): string | null {
    if (!header?.startsWith('Basic ')) return null;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const user = decoded.slice(0, sep);
    const pass = decoded.slice(sep + 1);
    return user === this.username && pass === this.password ? user : null;
  }
}

/** Starts a {@link GitServer}; stop it in `afterAll`. */
export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const server = new GitServer(options);
  await server.start();
  return server;
}
