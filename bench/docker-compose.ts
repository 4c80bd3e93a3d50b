// docker-compose (the Debian package, 1.29) for the benchmarks that compare Berth with it:
// found on PATH, installed with apt-get when missing and running as root, else an explanation.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `docker-compose <args>` and resolves with its stdout; rejects with its stderr. */
export async function compose(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('docker-compose', args, {
    cwd,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 300_000,
    // A loaded dockerd answers slowly: compose's default 60 s read timeout fails the run.
    env: { COMPOSE_HTTP_TIMEOUT: '600', ...process.env, DOCKER_HOST: `unix://${dockerSocket()}` },
  });
  return stdout;
}

/** The Docker socket the benchmarks use (BERTH_DOCKER_SOCKET, else the default). */
export function dockerSocket(): string {
  return process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock';
}

async function version(): Promise<string | undefined> {
  try {
    const { stdout } = await run('docker-compose', ['version', '--short']);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The docker-compose version, after installing the Debian package when it is missing and this
 * process is root (`apt-get install -y docker-compose`, with an `apt-get update` first if the
 * install alone fails). Returns an explanation instead when it cannot be had.
 */
export async function ensureCompose(): Promise<{ version: string } | { missing: string }> {
  const have = await version();
  if (have) return { version: have };
  const how = 'install it with `sudo apt-get install -y docker-compose` (Debian package, 1.29)';
  if (process.getuid?.() !== 0) return { missing: `docker-compose is not installed: ${how}` };
  console.log('docker-compose is missing: apt-get install -y docker-compose ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', '-q', 'docker-compose'], { env });
  } catch {
    try {
      await run('apt-get', ['update', '-q'], { env });
      await run('apt-get', ['install', '-y', '-q', 'docker-compose'], { env });
    } catch (err) {
      return { missing: `apt-get could not install docker-compose (${String(err)}): ${how}` };
    }
  }
  const installed = await version();
  return installed
    ? { version: installed }
    : { missing: `docker-compose not found after install: ${how}` };
}
