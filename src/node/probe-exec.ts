import type Docker from 'dockerode';
import { withTimeout } from './timeout.js';

/** Result of one probe or hook action. */
export interface ActionResult {
  success: boolean;
  /** What went wrong or what the command printed (cut short). */
  message: string;
}

/**
 * Runs `command` in the container (docker exec) and succeeds on exit code 0, within
 * `timeoutMs` (a command still running then is a failure).
 */
export async function execAction(
  docker: Docker,
  containerId: string,
  command: string[],
  timeoutMs: number,
): Promise<ActionResult> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: command,
    AttachStdout: true,
    AttachStderr: true,
  });
  const run = async (): Promise<ActionResult> => {
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    const { ExitCode } = await exec.inspect();
    const output = demux(Buffer.concat(chunks)).slice(0, 1024);
    return ExitCode === 0
      ? { success: true, message: output }
      : {
          success: false,
          message: `command ${JSON.stringify(command)} exited with ${ExitCode}: ${output}`,
        };
  };
  return withTimeout(run(), timeoutMs, () => ({
    success: false,
    message: `command ${JSON.stringify(command)} timed out after ${timeoutMs / 1000}s`,
  }));
}

/** Docker's multiplexed stream (8-byte frame headers) as text. */
function demux(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return i === 0 ? buf.toString('utf8') : out;
}
