import type { ForgeClient } from './forge-client.js';

/**
 * Posts `body` as the one comment of its kind on a pull request: edits the comment whose first
 * line is `marker` when there is one, else creates it. Says which it did.
 */
export async function upsertComment(
  client: ForgeClient,
  pr: number,
  marker: string,
  body: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const comments = await client.listComments(pr);
  const mine = comments.find((c) => c.body.split('\n', 1)[0]?.trim() === marker);
  if (!mine) {
    await client.createComment(pr, body);
    return 'created';
  }
  if (mine.body === body) return 'unchanged';
  await client.updateComment(pr, mine.id, body);
  return 'updated';
}
