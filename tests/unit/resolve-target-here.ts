/**
 * `@/lib/ui/resolve-target` answered by the background's own rules in the test's process, for
 * `vi.mock('@/lib/ui/resolve-target', () => import('../resolve-target-here'))`: the free answer
 * without its message, so a mocked `sendRequest` records only what goes to a provider.
 */
import { resolveTarget as resolveInBackground } from '@/lib/background/domain';

export const resolveTarget = async (...args: Parameters<typeof resolveInBackground>) => resolveInBackground(...args);
