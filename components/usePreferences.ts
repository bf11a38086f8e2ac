import { useEffect, useState } from 'react';
import { getPreferences, preferencesItem } from '@/lib/settings';
import type { Preferences } from '@/lib/settings';

export type { Preferences };

/** The saved defaults (normalised, see getPreferences), live: null until storage answers. */
export function usePreferences(): Preferences | null {
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  useEffect(() => {
    let mounted = true;
    const load = () =>
      void getPreferences().then((value) => {
        if (mounted) setPreferences(value);
      });
    load();
    const unwatch = preferencesItem.watch(load);
    return () => {
      mounted = false;
      unwatch();
    };
  }, []);
  return preferences;
}
