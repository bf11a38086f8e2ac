import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { LensError } from '@/lib/shared/errors';
import type { LoadAllPlan } from '@/lib/shared/load-all';
import { sendRequest } from '@/lib/ui/messaging/client';
import type { TableClient } from '@/lib/ui/messaging/table-client';
import { isNeedsConsent } from '@/lib/shared/protocol';
import { appendPages, queryKeys } from '@/lib/ui/queries';
import type { TablePage, TableQuery } from '@/lib/shared/reports';

export type LoadAllState =
  | { phase: 'idle' }
  /** The estimate is on screen; nothing is spent until the user starts. */
  | { phase: 'confirming'; plan: LoadAllPlan }
  | { phase: 'running'; plan: LoadAllPlan }
  | { phase: 'paused'; plan: LoadAllPlan }
  /** Stopped by an error (out of credits, the daily cap…); what arrived stays, Resume asks again. */
  | { phase: 'failed'; plan: LoadAllPlan; error: LensError };

const IDLE: LoadAllState = { phase: 'idle' };

/** Streamed pages reach the table at most this often: one re-render per batch, not per page (the first at once). */
const FLUSH_INTERVAL_MS = 250;

export interface LoadAllInput {
  client: TableClient;
  query: TableQuery;
  pages: TablePage[];
  total: number | null;
}

/**
 * "Load all" for one table: estimate first, then every remaining page over the table's port,
 * appended to the table's query data as they arrive. Pause and Cancel stop asking at once (a page
 * already on its way is still cached by the background, never paid twice); Resume goes on from the
 * next missing page. A new query (sort, filter, target) ends the run.
 */
export function useLoadAll({ client, query, pages, total }: LoadAllInput) {
  const queryClient = useQueryClient();
  // Kept with the query it belongs to: another table starts idle.
  const [stored, setStored] = useState<{ query: TableQuery; state: LoadAllState } | null>(null);
  const state: LoadAllState = stored?.query === query ? stored.state : IDLE;
  const setState = useCallback((next: LoadAllState) => setStored({ query, state: next }), [query]);
  const run = useRef<{ controller: AbortController; startedAt: number } | null>(null);
  /** Time spent fetching in earlier runs of this plan (pauses do not count towards "time left"). */
  const activeMsBefore = useRef(0);
  const loadedPages = pages.length;
  const queryKey = queryKeys.table(query);

  const stopRun = useCallback(() => {
    const current = run.current;
    if (!current) return;
    run.current = null;
    activeMsBefore.current += Date.now() - current.startedAt;
    current.controller.abort();
  }, []);

  // Another table (new sort, filters, target) or leaving the tab ends the run.
  useEffect(() => stopRun, [query, stopRun]);

  /** The estimate comes from the background, which allows exactly it when the user starts. */
  const [planProblem, setPlanProblem] = useState<{ query: TableQuery; error: LensError } | null>(null);
  const ask = useCallback(() => {
    if (total === null) return;
    void sendRequest({ type: 'planLoadAll', query, loadedPages }).then((answer) => {
      if (!answer.ok) setPlanProblem({ query, error: answer.error });
      else if (answer.data) {
        setPlanProblem(null);
        setState({ phase: 'confirming', plan: answer.data });
      }
    });
  }, [loadedPages, query, setState, total]);

  const fetchRemaining = useCallback(
    (plan: LoadAllPlan) => {
      stopRun();
      const controller = new AbortController();
      run.current = { controller, startedAt: Date.now() };
      setState({ phase: 'running', plan });

      const arrived: TablePage[] = [];
      let flushTimer: ReturnType<typeof setTimeout> | null = null;
      let lastFlushAt = Number.NEGATIVE_INFINITY;
      const flush = () => {
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = null;
        const batch = arrived.splice(0);
        if (batch.length === 0) return;
        lastFlushAt = Date.now();
        queryClient.setQueryData<InfiniteData<TablePage, number>>(queryKey, (data) => appendPages(data, batch));
      };
      const onPage = (page: TablePage) => {
        arrived.push(page);
        if (flushTimer) return;
        // The first page shows at once; after a flush, pages wait for the next one, FLUSH_INTERVAL_MS later.
        const wait = lastFlushAt + FLUSH_INTERVAL_MS - Date.now();
        if (wait <= 0) flush();
        else flushTimer = setTimeout(flush, wait);
      };

      // Starting (or resuming) is the user's yes to the estimate: the background grants it from the total it last saw.
      void client.requestPages(query, loadedPages + 1, plan.toPage, onPage, controller.signal, { consent: 'loadAll' }).then((result) => {
        // Pages that arrived before a pause or cancel are paid for: they stay in the table.
        flush();
        if (run.current?.controller !== controller) return;
        stopRun();
        if (result.ok && isNeedsConsent(result.data)) {
          // The table grew past the estimate the user said yes to: Resume asks with the new one.
          setState({ phase: 'paused', plan });
        } else if (result.ok) {
          setState({ phase: 'idle' });
        } else {
          setState({ phase: 'failed', plan, error: result.error });
        }
      });
    },
    [client, loadedPages, query, queryClient, queryKey, setState, stopRun],
  );

  const start = useCallback(() => {
    if (state.phase !== 'confirming') return;
    activeMsBefore.current = 0;
    fetchRemaining(state.plan);
  }, [fetchRemaining, state]);

  const resume = useCallback(() => {
    if (state.phase === 'paused' || state.phase === 'failed') fetchRemaining(state.plan);
  }, [fetchRemaining, state]);

  const pause = useCallback(() => {
    if (state.phase !== 'running') return;
    stopRun();
    setState({ phase: 'paused', plan: state.plan });
  }, [setState, state, stopRun]);

  const cancel = useCallback(() => {
    stopRun();
    setState({ phase: 'idle' });
  }, [setState, stopRun]);

  /** Milliseconds spent fetching so far in this plan, pauses left out. */
  const activeMs = useCallback(
    () => activeMsBefore.current + (run.current ? Date.now() - run.current.startedAt : 0),
    [],
  );

  return { state, ask, start, pause, resume, cancel, activeMs, planError: planProblem?.query === query ? planProblem.error : null };
}
