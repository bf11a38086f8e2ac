import { browser } from 'wxt/browser';
import { lensError } from '../shared/errors';
import {
    requestSchema,
    type AccountStatus,
    type CacheStats,
    type Credentials,
    type KeyStatuses,
    type NeedsConsent,
    type Request,
    type Response,
    type ResponseData,
    type SpendConsent,
    type Usage,
} from '../shared/protocol';
import { fail, ok, type Result } from '../shared/result';
import type { LoadAllPlan } from '../shared/load-all';
import type { TableQuery } from '../shared/reports';
import { isOwnExtensionPage, type SenderLike } from './sender';
import { resolveTarget } from './domain';
import { type ProviderId } from '../shared/providers';
import type { Charts } from '../shared/charts';
import type { ChartsRequest } from './charts';
import type { LinkGapOverlap } from '../shared/link-gap-overlap';
import type { DomainChanges, HistoryStats } from '../shared/snapshots';
import type { SnapshotStore } from './looks/snapshot-store';

export interface MessageDeps extends LooksDeps {
  keyStatuses: () => Promise<KeyStatuses>;
  setCredentials: (credentials: Credentials) => Promise<void>;
  clearCredentials: (provider: ProviderId) => Promise<void>;
  testConnection: (provider: ProviderId, credentials: Credentials | undefined, signal: AbortSignal) => Promise<Result<AccountStatus>>;
  fetchCharts: (request: ChartsRequest, signal: AbortSignal, consent?: SpendConsent) => Promise<Result<Charts | NeedsConsent>>;
  fetchLinkGapOverlap: (table: TableQuery, signal: AbortSignal, consent?: SpendConsent) => Promise<Result<LinkGapOverlap | NeedsConsent>>;
  /** The cache-only forms of the two: free, never a provider request; null when not cached. */
  cachedCharts: (request: ChartsRequest) => Promise<Result<Charts | null>>;
  cachedLinkGapOverlap: (table: TableQuery) => Promise<Result<LinkGapOverlap | null>>;
  usage: () => Promise<Usage>;
  planLoadAll: (query: TableQuery, loadedPages: number) => Promise<LoadAllPlan | null>;
  clearCache: () => Promise<CacheStats>;
  isOwnSender?: (sender: SenderLike | undefined) => boolean;
}

/** The history of looks: snapshots of summaries and the referring domains of each look (lib/background/looks/). */
export interface LooksDeps {
  listSnapshots: SnapshotStore['list'];
  deleteSnapshot: SnapshotStore['remove'];
  domainChanges: (query: TableQuery) => Promise<DomainChanges | null>;
  historyStats: () => Promise<HistoryStats>;
  clearHistory: () => Promise<HistoryStats>;
}

type AnyResponse = Response<keyof ResponseData>;

async function dispatch(request: Request, deps: MessageDeps): Promise<AnyResponse> {
  // Messages have no cancel: a provider call started here runs to its own timeout.
  const signal = new AbortController().signal;
  switch (request.type) {
    case 'getKeyStatus':
      return ok(await deps.keyStatuses());
    case 'setKey':
      await deps.setCredentials(request.credentials);
      return ok(await deps.keyStatuses());
    case 'clearKey':
      await deps.clearCredentials(request.provider);
      return ok(await deps.keyStatuses());
    case 'testConnection':
      return deps.testConnection(request.provider, request.credentials, signal);
    case 'getCharts':
      return request.cachedOnly ? deps.cachedCharts(request) : deps.fetchCharts(request, signal, request.consent);
    case 'getLinkGapOverlap':
      return request.cachedOnly ? deps.cachedLinkGapOverlap(request.query) : deps.fetchLinkGapOverlap(request.query, signal, request.consent);
    case 'resolveTarget':
      return ok(resolveTarget(request.kind, request.input));
    case 'getUsage':
      return ok(await deps.usage());
    case 'planLoadAll':
      return ok(await deps.planLoadAll(request.query, request.loadedPages));
    case 'clearCache':
      return ok(await deps.clearCache());
    case 'getSnapshots':
      return ok(await deps.listSnapshots(request.site));
    case 'deleteSnapshot':
      return ok(await deps.deleteSnapshot(request.site, request.fetchedAt));
    case 'getDomainChanges':
      return ok(await deps.domainChanges(request.query));
    case 'getHistoryStats':
      return ok(await deps.historyStats());
    case 'clearHistory':
      return ok(await deps.clearHistory());
  }
}

/** Validates one message and answers it; never throws, never answers with a key. */
export async function handleRequest(raw: unknown, sender: SenderLike | undefined, deps: MessageDeps): Promise<AnyResponse> {
  try {
    const isOwn = deps.isOwnSender ?? isOwnExtensionPage;
    if (!isOwn(sender)) return fail(lensError('internal', 'Only Backlink Lens’s own pages may ask its background.'));
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) return fail(lensError('internal', 'The extension sent a malformed request.'));
    return await dispatch(parsed.data, deps);
  } catch {
    return fail(lensError('internal', 'Something went wrong in the extension’s background. Try again.', { retryable: true }));
  }
}

/** Registered synchronously at worker start, so a message that woke the worker is not missed. */
export function setUpMessaging(deps: MessageDeps): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: SenderLike, sendResponse: (answer: unknown) => void) => {
    // handleRequest never rejects: every failure is already an answer.
    void handleRequest(raw, sender, deps).then(sendResponse);
    // Keep the channel open for the asynchronous answer (chrome.* needs this, not a Promise).
    return true;
  });
}
