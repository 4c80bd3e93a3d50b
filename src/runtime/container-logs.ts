import type { Readable } from 'node:stream';
import type Docker from 'dockerode';

/** Where log bytes go: a container's stdout and stderr kept apart. */
export interface LogSink {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Options of {@link copyContainerLogs}. */
export interface ContainerLogsOptions {
  /** Keep streaming new output until the container stops or `stop` resolves. Default false. */
  follow?: boolean;
  /** Only the last N lines. Default: all. */
  tail?: number;
  /** Resolves when a follow should end early (Ctrl-C). */
  stop?: Promise<unknown>;
}

/**
 * Copies a container's logs (Docker's json-file log) to `sink`, stdout and stderr apart
 * (Docker's multiplexed frames are split; a TTY container's output is one stream).
 */
export async function copyContainerLogs(
  docker: Docker,
  id: string,
  sink: LogSink,
  options: ContainerLogsOptions = {},
): Promise<void> {
  const container = docker.getContainer(id);
  const info = await container.inspect();
  const tty = info.Config.Tty;
  const base = {
    stdout: true,
    stderr: true,
    ...(options.tail !== undefined ? { tail: options.tail } : {}),
  };
  const splitter = frameSplitter(sink, tty);
  if (!options.follow) {
    const buf = (await container.logs({ ...base, follow: false })) as unknown as Buffer;
    splitter(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    return;
  }
  const stream = (await container.logs({ ...base, follow: true })) as unknown as Readable;
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => splitter(chunk));
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
    void options.stop?.then(() => {
      stream.destroy();
      resolve();
    });
  });
}

/** A stateful parser of Docker's 8-byte-header frames (stream type, size) across chunks. */
function frameSplitter(sink: LogSink, tty: boolean): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    if (tty) {
      sink.stdout.write(chunk.toString('utf8'));
      return;
    }
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const text = pending.subarray(8, 8 + size).toString('utf8');
      (pending[0] === 2 ? sink.stderr : sink.stdout).write(text);
      pending = pending.subarray(8 + size);
    }
  };
}
