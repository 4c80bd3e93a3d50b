// Debian's nginx as a reverse proxy peer for the benchmarks: started in the foreground (not a
// daemon) with a config and prefix of its own in a temporary directory, on a loopback port, one
// worker process (Berth's proxy is one Node process). Stopped and removed by `stop()`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running nginx started by {@link startNginx}. */
export interface NginxPeer {
  port: number;
  /** CPU time (user + system, ms) used so far by nginx's master and worker processes. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** User + system CPU ms of process `pid` (0 when it is gone), from /proc (100 ticks/s). */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((x) => x !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Starts nginx proxying `127.0.0.1:<port>` to `backends` (`ip:port`, round-robin) with the
 * settings Berth's Ingress proxy has: HTTP/1.1 keep-alive to clients (no request limit), a
 * keep-alive pool to the backends, X-Forwarded-For/-Proto/-Host/-Port set, 60 s backend timeout.
 */
export async function startNginx(port: number, backends: string[]): Promise<NginxPeer> {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-nginx-'));
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(prefix, d));
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  upstream pods {
${backends.map((b) => `    server ${b};`).join('\n')}
    keepalive 256;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pods;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_read_timeout 60s;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(
    'nginx',
    ['-p', prefix, '-c', conf, '-e', `${prefix}/error.log`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  // Ready when the port accepts a connection.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = (() => {
        try {
          return readFileSync(`${prefix}/error.log`, 'utf8');
        } catch {
          return '';
        }
      })();
      await stop();
      throw new Error(`nginx exited ${child.exitCode}: ${stderr}${log}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on 127.0.0.1:${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid as number;
  return {
    port,
    cpuMs: () => [pid, ...childrenOf(pid)].reduce((n, p) => n + procCpuMs(p), 0),
    stop,
  };
}
