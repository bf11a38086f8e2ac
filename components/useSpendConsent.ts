import { useCallback, useRef } from 'react';
import type { SpendConsent } from '@/lib/shared/protocol';

/**
 * The user's answer to the background's per-lookup limit, kept until the next page asked takes
 * it (and forwards it with that request only). The background turns it into allowance.
 */
export function useSpendConsent() {
  const answer = useRef<SpendConsent | undefined>(undefined);
  const give = useCallback((consent: SpendConsent) => {
    answer.current = consent;
  }, []);
  const take = useCallback(() => {
    const given = answer.current;
    answer.current = undefined;
    return given;
  }, []);
  return { give, take };
}
