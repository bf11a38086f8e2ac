import type { TargetInputKind, TargetParse } from '../shared/target-parse';
import { sendRequest } from './messaging/client';

/**
 * Asks the background what a tab's address or typed text is as a lookup target (a free message:
 * the public-suffix list lives only in the background). A background that cannot answer becomes
 * an explanation like any other, so the caller always has something to show.
 */
export async function resolveTarget(kind: TargetInputKind, input: string): Promise<TargetParse> {
  const answer = await sendRequest({ type: 'resolveTarget', kind, input });
  return answer.ok ? answer.data : { ok: false, reason: 'unanswered', message: answer.error.message };
}
