import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { main } from '../../../src/cli/main.js';
import { useTempDir } from '../../harness/tmp.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function run(
  args: string[],
  cwd: string,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    cwd,
    exitCode: 0,
    stopSignal: new Promise(() => {}),
  };
  const code = await main(['node', 'berth', 'validate', ...args], ctx);
  return { code, out, err };
}

describe('berth validate', () => {
  const dir = useTempDir();
  mkdirSync(path.join(dir, 'good'));
  writeFileSync(
    path.join(dir, 'good/cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  );
  writeFileSync(
    path.join(dir, 'good/sa.yaml'),
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n',
  );
  mkdirSync(path.join(dir, 'bad'));
  writeFileSync(
    path.join(dir, 'bad/pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: berth.local/busybox:1\n      resizePolicy: []\n',
  );
  writeFileSync(
    path.join(dir, 'bad/secret.yaml'),
    'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: "top secret value!"}\n',
  );
  symlinkSync('/etc/hostname', path.join(dir, 'bad/escape.yaml'));

  it('validates the repository examples-repo/: valid, exit 0', async () => {
    const r = await run(['examples-repo'], repoRoot);
    expect(r.out).toBe('valid: 7 objects in 7 files, 0 errors, 0 warnings\n');
    expect(r.code).toBe(0);
  });

  it('exits 0 with warnings, and prints them as file:line:col lines', async () => {
    const r = await run(['good'], dir);
    expect(r.out.split('\n')).toEqual([
      'good/sa.yaml:1:1: warning: ServiceAccount default/robot: ignored 1 object(s) of kinds with no effect on a container host: ServiceAccount default/robot',
      'valid: 2 objects in 2 files, 0 errors, 1 warning',
      '',
    ]);
    expect(r.code).toBe(0);
  });

  it('--strict turns ignored kinds into errors: exit 1', async () => {
    const r = await run(['--strict', 'good'], dir);
    expect(r.out).toContain(
      'good/sa.yaml:2:7: error: ServiceAccount default/robot: kind: ServiceAccount has no effect on a container host (rejected by --strict)',
    );
    expect(r.code).toBe(1);
  });

  it('exits 1 on invalid manifests, one line per problem, never printing Secret values', async () => {
    const r = await run(['bad'], dir);
    expect(r.out).toContain(
      'bad/pod.yaml:9:7: error: Pod default/p: spec.containers[0].resizePolicy: not supported by Berth\n',
    );
    expect(r.out).toContain(
      'bad/escape.yaml:1:1: error: symlink to "/etc/hostname" points outside the source path: refused\n',
    );
    expect(r.out).toContain(
      'bad/secret.yaml:4:18: error: Secret default/s: data.password: expected base64-encoded data',
    );
    expect(r.out).not.toContain('top secret');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'invalid: 2 objects in 2 files, 3 errors, 0 warnings',
    );
    expect(r.code).toBe(1);
  });

  it('-o json gives valid, objects and positioned problems', async () => {
    const r = await run(['-o', 'json', 'bad/pod.yaml', 'good'], dir);
    const json = JSON.parse(r.out);
    expect(json).toEqual({
      valid: false,
      objects: 3,
      problems: [
        {
          file: 'bad/pod.yaml',
          line: 9,
          column: 7,
          severity: 'error',
          kind: 'Pod',
          namespace: 'default',
          name: 'p',
          path: 'spec.containers[0].resizePolicy',
          message: 'not supported by Berth',
        },
        expect.objectContaining({
          file: 'good/sa.yaml',
          severity: 'warning',
          kind: 'ServiceAccount',
        }),
      ],
    });
    expect(r.code).toBe(1);
  });

  it('exits 2 on a usage error: unknown output format, missing path', async () => {
    expect((await run(['-o', 'yaml', 'good'], dir)).code).toBe(2);
    const missing = await run(['nowhere'], dir);
    expect(missing.err).toBe('berth validate: nowhere: no such file or directory\n');
    expect(missing.code).toBe(2);
    expect((await run(['--no-such-flag'], dir)).code).toBe(2);
  });
});

describe('berth validate on a large file', () => {
  const dir = useTempDir();
  writeFileSync(path.join(dir, 'huge.yaml'), `# ${'x'.repeat(3 * 1024 * 1024)}\n`);
  writeFileSync(
    path.join(dir, 'ok.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
  );

  it('refuses it without stopping, and goes on with the others', async () => {
    const r = await run(['.'], dir);
    expect(r.out).toBe(
      'huge.yaml:1:1: error: file is larger than the limit of 1048576 bytes\ninvalid: 1 object in 1 file, 1 error, 0 warnings\n',
    );
    expect(r.code).toBe(1);
  });
});
