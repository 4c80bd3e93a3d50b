/**
 * The message of a revert commit, as `git revert` writes it — `Revert "<subject>"`, a blank line,
 * `This reverts commit <sha>.` — with Berth's reason between them. Several commits reverted at
 * once name the newest in the subject and each in a line of its own.
 */
export function revertMessage(
  reverted: ReadonlyArray<{ sha: string; subject: string }>,
  reason?: string,
): string {
  const newest = reverted[0];
  if (!newest) throw new Error('revertMessage needs at least one commit');
  const subject =
    reverted.length === 1
      ? `Revert "${newest.subject}"`
      : `Revert "${newest.subject}" and ${reverted.length - 1} earlier commit${reverted.length === 2 ? '' : 's'}`;
  const body = reverted.map((c) => `This reverts commit ${c.sha}.`).join('\n');
  return `${subject}\n\n${reason ? `${reason}\n\n` : ''}${body}\n`;
}

/** Whether a commit message is a revert's (Berth's or git's): such commits are never reverted automatically. */
export function isRevertMessage(message: string): boolean {
  return /^Revert "/.test(message) && /^This reverts commit [0-9a-f]{40}\.$/m.test(message);
}

/** The first line of a commit message. */
export function subjectOf(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
