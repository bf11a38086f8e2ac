/**
 * Where the browser's CPU goes while something runs, per part of the browser: the extension's
 * service worker, its page's main thread (the side panel), the extension process's other threads
 * (compositor, raster, and the compilers and garbage collectors both share), the browser process
 * and the network service. From a CDP trace of the browser's top-level tasks (category `toplevel`),
 * each counted with its thread time (`tdur`), so a task waiting for a core counts what it ran,
 * not how long it waited: on a busy machine the figures stay what the work costs.
 */
import { connectCdp } from './cdp';

export interface CpuByPart {
  worker: number;
  panel: number;
  extensionHelpers: number;
  browser: number;
  network: number;
  other: number;
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

function partOf(process: string | undefined, thread: string | undefined): keyof CpuByPart {
  if (process === 'Extension Renderer') return thread === 'ServiceWorker thread' ? 'worker' : thread === 'CrRendererMain' ? 'panel' : 'extensionHelpers';
  if (process === 'Browser') return 'browser';
  if (process?.includes('network.mojom.NetworkService')) return 'network';
  return 'other';
}

/** Each part's CPU in ms over the trace: per thread, its outermost tasks' thread time (nested ones are inside them). */
export function cpuByPart(events: readonly TraceEvent[]): CpuByPart {
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  const tasks = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph === 'M' && event.name === 'process_name') processNames.set(event.pid, event.args?.name ?? '');
    else if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(thread, event.args?.name ?? '');
    else if (event.ph === 'X' && event.dur !== undefined) {
      const list = tasks.get(thread);
      if (list) list.push(event);
      else tasks.set(thread, [event]);
    }
  }
  const cpu: CpuByPart = { worker: 0, panel: 0, extensionHelpers: 0, browser: 0, network: 0, other: 0 };
  for (const [thread, list] of tasks) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    let outerEnd = -Infinity;
    let threadMs = 0;
    for (const task of list) {
      if (task.ts < outerEnd) continue;
      threadMs += (task.tdur ?? 0) / 1000;
      outerEnd = task.ts + (task.dur ?? 0);
    }
    cpu[partOf(processNames.get(Number(thread.split(':')[0])), threadNames.get(thread))] += threadMs;
  }
  return cpu;
}

/** Runs `work` under a trace of the whole browser (its own CDP connection) and says what each part spent. */
export async function cpuDuring<T>(debuggingPort: number, work: () => Promise<T>): Promise<{ result: T; cpu: CpuByPart }> {
  const cdp = await connectCdp(debuggingPort);
  try {
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (params) => void events.push(...(params.value as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.on('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', '__metadata'] }, transferMode: 'ReportEvents' });
    const result = await work();
    await cdp.send('Tracing.end');
    await complete;
    return { result, cpu: cpuByPart(events) };
  } finally {
    cdp.close();
  }
}
