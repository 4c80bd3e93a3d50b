import type { Redis } from 'ioredis';
import { LeaseLostError } from './lease-lost-error.js';

/**
 * A fencing token: the lease key and the token its holder got when it acquired it. A write that
 * carries a fence is made only while the lease key still holds that token, checked by Redis in
 * the same script as the write: a holder that was paused past its lease cannot write after a
 * newer holder took over.
 */
export interface Fence {
  key: string;
  token: number;
}

/** One Redis command of a fenced write: name, then its key and arguments. */
export type FencedCommand = [command: string, key: string, ...args: Array<string | number>];

// KEYS[1] the lease; ARGV[1] "<token> " (the value's prefix); ARGV[2] the commands as JSON.
const FENCED_EXEC = `
local v = redis.call('GET', KEYS[1])
if (not v) or string.sub(v, 1, string.len(ARGV[1])) ~= ARGV[1] then
  return redis.error_reply('BERTH_FENCED ' .. (v and string.match(v, '^%d+') or 'none'))
end
for _, c in ipairs(cjson.decode(ARGV[2])) do redis.call(unpack(c)) end
return 1
`;

/**
 * Runs `commands` atomically, only while `fence` holds (the lease key's value starts with its
 * token). Throws a {@link LeaseLostError} otherwise, and nothing is written.
 */
export async function fencedExec(
  redis: Redis,
  fence: Fence,
  commands: readonly FencedCommand[],
): Promise<void> {
  if (commands.length === 0) return;
  try {
    await redis.eval(FENCED_EXEC, 1, fence.key, `${fence.token} `, JSON.stringify(commands));
  } catch (err) {
    const match = /BERTH_FENCED (\S+)/.exec(String((err as Error).message));
    if (!match) throw err;
    throw new LeaseLostError(
      fence.key,
      fence.token,
      match[1] === 'none' ? 'the lease expired' : `token ${match[1]} holds it now`,
    );
  }
}
