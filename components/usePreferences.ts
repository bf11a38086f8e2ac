import { useEffect, useState } from 'react';
import { preferencesItem } from '@/lib/settings';

export type Preferences = Awaited<ReturnType<typeof preferencesItem.getValue>>;

/** The saved defaults, live: null until storage answers, then every change from any page. */
export function usePreferences(): Preferences | null {
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  useEffect(() => {
    let mounted = true;
    void preferencesItem.getValue().then((value) => {
      if (mounted) setPreferences(value);
    });
    const unwatch = preferencesItem.watch((value) => setPreferences(value));
    return () => {
      mounted = false;
      unwatch();
    };
  }, []);
  return preferences;
}
