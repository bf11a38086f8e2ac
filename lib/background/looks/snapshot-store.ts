import { z } from 'zod';
import { providerIdSchema } from '../../shared/providers';
import { scopeSchema } from '../../shared/reports';
import { snapshotFigures, type SiteSnapshot, type SnapshotSite } from '../../shared/snapshots';
import { targetIdentity } from '../cache/page-key';
import { serialWrites, type LooksDatabase } from './looks-db';

/** The schema version of a stored snapshot; a record of another version is not read. */
export const SNAPSHOT_VERSION = 1;
/** Snapshots kept in all (about 200 bytes each); past it the oldest go first. */
export const MAX_SNAPSHOTS = 10_000;

export interface SnapshotStore {
  /** Keeps one look; the same look recorded twice (two views sharing one answer) is kept once. */
  record(snapshot: SiteSnapshot): Promise<void>;
  /** A site's snapshots, newest first, once the looks recorded before the call are kept. */
  list(site: SnapshotSite): Promise<SiteSnapshot[]>;
  /** Deletes one look of a site; answers the site's snapshots left. */
  remove(site: SnapshotSite, fetchedAt: number): Promise<SiteSnapshot[]>;
  clear(): Promise<void>;
  count(): Promise<number>;
}

const figure = z.number().finite().nullable();
/** What a stored snapshot must be to be read: anything else (corrupt, or a newer version) is deleted. */
const storedSnapshotSchema = z.object({
  v: z.literal(SNAPSHOT_VERSION),
  site: z.string(),
  provider: providerIdSchema,
  target: z.string().min(1),
  scope: scopeSchema,
  fetchedAt: z.number().finite().nonnegative(),
  values: z.object(Object.fromEntries(snapshotFigures.map((name) => [name, figure])) as Record<(typeof snapshotFigures)[number], typeof figure>),
});

/** One site: the provider, the scope and the target as the provider tells it apart (Example.COM is example.com). */
export const siteKey = (site: SnapshotSite): string => JSON.stringify([site.provider, site.scope, targetIdentity(site.target)]);

/** All keys of one site, oldest first. */
const siteRange = (site: string) => IDBKeyRange.bound([site, -Infinity], [site, Infinity]);

export function createSnapshotStore(options: { db: () => Promise<LooksDatabase>; maxSnapshots?: number }): SnapshotStore {
  const maxSnapshots = options.maxSnapshots ?? MAX_SNAPSHOTS;
  const serial = serialWrites();

  async function list(site: SnapshotSite): Promise<SiteSnapshot[]> {
    const database = await options.db();
    const key = siteKey(site);
    const tx = database.transaction('snapshots', 'readwrite');
    const snapshots: SiteSnapshot[] = [];
    for (let cursor = await tx.store.openCursor(siteRange(key), 'prev'); cursor; cursor = await cursor.continue()) {
      const parsed = storedSnapshotSchema.safeParse(cursor.value);
      // A record that is not what this version writes cannot be trusted for a change: a miss.
      if (!parsed.success || parsed.data.site !== key) {
        await cursor.delete();
        continue;
      }
      const { provider, target, scope, fetchedAt, values } = parsed.data;
      snapshots.push({ provider, target, scope, fetchedAt, values });
    }
    await tx.done;
    return snapshots;
  }

  /** Deletes the oldest snapshots until at most `maxSnapshots` are left, by the age index alone. */
  async function evictToFit(database: LooksDatabase): Promise<void> {
    const tx = database.transaction('snapshots', 'readwrite');
    let excess = (await tx.store.count()) - maxSnapshots;
    for (let cursor = await tx.store.index('byFetchedAt').openKeyCursor(); cursor && excess > 0; cursor = await cursor.continue(), excess--) {
      await tx.store.delete(cursor.primaryKey);
    }
    await tx.done;
  }

  return {
    record: (snapshot) =>
      serial(async () => {
        const database = await options.db();
        await database.put('snapshots', { v: SNAPSHOT_VERSION, site: siteKey(snapshot), ...snapshot });
        await evictToFit(database);
      }),
    // After the writes before it: the popup asks for its site's looks right after its totals,
    // whose snapshot is then still being written (lib/background/looks/recording.ts).
    list: (site) => serial(() => list(site)),
    remove: (site, fetchedAt) =>
      serial(async () => {
        await (await options.db()).delete('snapshots', [siteKey(site), fetchedAt]);
        return list(site);
      }),
    clear: () => serial(async () => (await options.db()).clear('snapshots')),
    count: () => serial(async () => (await options.db()).count('snapshots')),
  };
}
