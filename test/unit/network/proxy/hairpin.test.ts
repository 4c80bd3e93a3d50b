import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enableHairpin } from '../../../../src/network/proxy/index.js';

// A stand-in for /sys/class/net: the bridge's brif/<port>/hairpin_mode files.
let sysNet: string;
afterEach(() => rmSync(sysNet, { recursive: true, force: true }));

function bridge(name: string, ports: Record<string, string>): void {
  for (const [port, mode] of Object.entries(ports)) {
    mkdirSync(join(sysNet, name, 'brif', port), { recursive: true });
    writeFileSync(join(sysNet, name, 'brif', port, 'hairpin_mode'), `${mode}\n`);
  }
}

const mode = (b: string, port: string) =>
  readFileSync(join(sysNet, b, 'brif', port, 'hairpin_mode'), 'utf8').trim();

describe('enableHairpin', () => {
  it('turns hairpin on for every port of the bridge and no other bridge', async () => {
    sysNet = mkdtempSync(join(tmpdir(), 'berth-sysnet-'));
    bridge('br-pods', { veth1: '0', veth2: '1', veth3: '0' });
    bridge('br-other', { veth9: '0' });
    expect(await enableHairpin('br-pods', sysNet)).toBe(2);
    expect(['veth1', 'veth2', 'veth3'].map((p) => mode('br-pods', p))).toEqual(['1', '1', '1']);
    expect(mode('br-other', 'veth9')).toBe('0');
    expect(await enableHairpin('br-pods', sysNet)).toBe(0);
  });

  it('refuses a bad interface name or a missing bridge with HairpinFailed', async () => {
    sysNet = mkdtempSync(join(tmpdir(), 'berth-sysnet-'));
    await expect(enableHairpin('../etc', sysNet)).rejects.toMatchObject({ code: 'HairpinFailed' });
    await expect(enableHairpin('br-none', sysNet)).rejects.toMatchObject({
      code: 'HairpinFailed',
      data: { bridge: 'br-none' },
    });
  });
});
