import { useEffect, useState } from 'react';
import { budgetItem, getBudget, getPreferences, preferencesItem } from '@/lib/shared/settings';
import type { Preferences } from '@/lib/shared/settings';
import type { BudgetSettings } from '@/lib/shared/budget';

export type { Preferences };

/** A stored setting read through its getter (which normalises it), live: null until storage answers. */
export function useStoredSetting<T>(read: () => Promise<T>, item: { watch: (callback: () => void) => () => void }): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let mounted = true;
    const load = () =>
      void read().then((next) => {
        if (mounted) setValue(next);
      });
    load();
    const unwatch = item.watch(load);
    return () => {
      mounted = false;
      unwatch();
    };
  }, [read, item]);
  return value;
}

/** The saved defaults (normalised, see getPreferences). */
export function usePreferences(): Preferences | null {
  return useStoredSetting(getPreferences, preferencesItem);
}

/** The per-lookup limit and daily caps from the options page. */
export function useBudget(): BudgetSettings | null {
  return useStoredSetting(getBudget, budgetItem);
}
