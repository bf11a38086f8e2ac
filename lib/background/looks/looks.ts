import type { LooksDeps } from '../messages';
import { createDomainLooks, type DomainLooks } from './domain-looks';
import { openLooksDb } from './looks-db';
import { createSnapshotStore, type SnapshotStore } from './snapshot-store';

export interface Looks {
  snapshots: SnapshotStore;
  domainLooks: DomainLooks;
  /** What the pages may ask of the history (lib/shared/protocol.ts). */
  messages: LooksDeps;
}

/** The history of looks, in one database: snapshots of summaries and the referring domains of each table's looks. */
export function createLooks(options: { dbName?: string } = {}): Looks {
  const db = openLooksDb(options.dbName);
  const snapshots = createSnapshotStore({ db });
  const domainLooks = createDomainLooks({ db });
  const stats = async () => {
    const [count, pages] = await Promise.all([snapshots.count(), domainLooks.stats()]);
    return { snapshots: count, domainPages: pages.pages, bytes: pages.bytes };
  };
  return {
    snapshots,
    domainLooks,
    messages: {
      listSnapshots: (site) => snapshots.list(site),
      deleteSnapshot: (site, fetchedAt) => snapshots.remove(site, fetchedAt),
      domainChanges: (query) => domainLooks.changes(query),
      historyStats: stats,
      clearHistory: async () => {
        await Promise.all([snapshots.clear(), domainLooks.clear()]);
        return stats();
      },
    },
  };
}
