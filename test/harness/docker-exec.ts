import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** What a command run in a container printed, and its exit code. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd` in a running container (`docker exec`) and collects its output, stdout and stderr
 * apart (Docker multiplexes them on one stream; dockerode's demuxStream splits them).
 */
export async function execIn(container: Docker.Container, cmd: string[]): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: [Buffer[], Buffer[]] = [[], []];
  out.on('data', (d: Buffer) => chunks[0].push(d));
  err.on('data', (d: Buffer) => chunks[1].push(d));
  container.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return {
    code: ExitCode ?? -1,
    stdout: Buffer.concat(chunks[0]).toString(),
    stderr: Buffer.concat(chunks[1]).toString(),
  };
}
