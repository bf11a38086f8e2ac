/**
 * The provider simulator: one loopback HTTP server that speaks Serpstat's JSON-RPC (`/v4`) and
 * DataForSEO's REST API (`/v3/...`), keeps credits and balance, logs every provider request and
 * injects faults. Control endpoints under `/__sim/` let other processes drive it.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SIM_PORT } from './constants';
import type { AccountView, ProviderAnswer } from './answer';
import { datasetSize, type SimReport } from './data';
import { answerSerpstat, parseSerpstatCall, serpstatError } from './serpstat';
import {
  DATAFORSEO_BASE_COST,
  answerDataForSeo,
  dataforseoTaskError,
  dataforseoTopError,
  isDataForSeoAuthorized,
  parseDataForSeoTask,
  roundUsd,
} from './dataforseo';

export interface SimOptions {
  /** Default SIM_PORT; 0 picks a free port. */
  port?: number;
  latencyMs?: number;
  /** Default 1,000,000. */
  serpstatCredits?: number;
  /** Default 100. */
  dataforseoBalanceUsd?: number;
}

export interface SimLogEntry {
  seq: number;
  time: number;
  provider: 'serpstat' | 'dataforseo' | 'control';
  /** Serpstat method name or DataForSEO path. */
  method: string;
  params: unknown;
  /** HTTP status sent; 0 when none was (hang, reset). */
  status: number;
  outcome: 'ok' | 'error' | 'fault';
  rows: number;
  /** Credits (Serpstat) or USD (DataForSEO). */
  charged: number;
  fault?: string;
}

export type Fault =
  | { kind: 'http'; status: number; retryAfter?: number; body?: string }
  | { kind: 'serpstat-error'; code: number; message: string }
  /** `cost`: what a task-level failure is billed (a real 40202 or 50xxx can carry a cost); 40501 is billed the base price anyway. */
  | { kind: 'dataforseo-status'; statusCode: number; statusMessage: string; level: 'top' | 'task'; http?: number; cost?: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'truncated' }
  | { kind: 'empty-body' }
  | { kind: 'html-200' }
  /**
   * The provider's "bad key" error quoting the credential it was sent, as real APIs do
   * ("Invalid token …"): Serpstat's token, DataForSEO's login:password and Authorization header.
   */
  | { kind: 'echo-key' }
  /**
   * The normal answer with some fields changed, as a provider bug (or a hostile page) would send
   * it, and charged like the normal answer (the provider did the work).
   */
  | { kind: 'mutate'; changes: FieldChange[] };

/**
 * One field of an answer: `path` is dot-separated into the JSON body ("result.data.0.domain_links",
 * "tasks.0.result.0.total_count"); `value` replaces the field (null included), `remove` deletes it.
 * A path the answer does not have leaves it unchanged.
 */
export interface FieldChange {
  path: string;
  value?: unknown;
  remove?: boolean;
}

export interface FaultRule {
  /** A list is used in turn, one fault each time the rule fires. */
  fault: Fault | Fault[];
  provider?: 'serpstat' | 'dataforseo';
  /** Serpstat method (full, or the part after the dot: `getRefDomains`) or DataForSEO path. */
  method?: string;
  /** Default 1. */
  times?: number;
  /** Fault every Nth matching request, without limit. */
  everyNth?: number;
}

export interface Simulator {
  url: string;
  /** `${url}/v4` */
  serpstatUrl: string;
  /** Same as `url`. */
  dataforseoUrl: string;
  /** Provider requests only, in arrival order. The same array for the simulator's lifetime. */
  log: SimLogEntry[];
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  setDatasetSize(domain: string, report: SimReport, rows: number): void;
  setLatency(ms: number): void;
  creditsLeft(): number;
  balanceUsd(): number;
  /** Log, faults, credits, balance, dataset overrides and latency back to the start. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_SERPSTAT_CREDITS = 1_000_000;
const DEFAULT_DATAFORSEO_BALANCE_USD = 100;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const reports: readonly SimReport[] = ['refDomains', 'outDomains', 'backlinks', 'lostBacklinks', 'outlinks'];

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

// ---------------------------------------------------------------------------------------------
// Fault rules

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/** Checks a rule that arrived as JSON; throws an Error that says what is wrong. */
export function parseFaultRule(value: unknown): FaultRule {
  if (!isObject(value) || !(isObject(value.fault) || Array.isArray(value.fault))) throw new Error('a fault rule needs a "fault" object or list');
  const faults: unknown[] = Array.isArray(value.fault) ? value.fault : [value.fault];
  if (faults.length === 0) throw new Error('a fault list needs at least one fault');
  faults.forEach(checkFault);
  if (value.provider !== undefined && value.provider !== 'serpstat' && value.provider !== 'dataforseo') {
    throw new Error('provider must be serpstat or dataforseo');
  }
  if (value.method !== undefined && typeof value.method !== 'string') throw new Error('method must be a string');
  if (value.times !== undefined && !isPositiveInteger(value.times)) throw new Error('times must be an integer >= 1');
  if (value.everyNth !== undefined && !isPositiveInteger(value.everyNth)) throw new Error('everyNth must be an integer >= 1');
  return value as unknown as FaultRule;
}

function checkFault(fault: unknown): void {
  if (!isObject(fault)) throw new Error('a fault must be an object');
  switch (fault.kind) {
    case 'http':
      if (typeof fault.status !== 'number' || fault.status < 100 || fault.status > 599) throw new Error('http fault needs a status 100..599');
      if (fault.retryAfter !== undefined && typeof fault.retryAfter !== 'number') throw new Error('retryAfter must be a number of seconds');
      if (fault.body !== undefined && typeof fault.body !== 'string') throw new Error('body must be a string');
      break;
    case 'serpstat-error':
      if (typeof fault.code !== 'number' || typeof fault.message !== 'string') throw new Error('serpstat-error needs code and message');
      break;
    case 'dataforseo-status':
      if (typeof fault.statusCode !== 'number' || typeof fault.statusMessage !== 'string') {
        throw new Error('dataforseo-status needs statusCode and statusMessage');
      }
      if (fault.level !== 'top' && fault.level !== 'task') throw new Error('dataforseo-status level must be top or task');
      if (fault.http !== undefined && typeof fault.http !== 'number') throw new Error('http must be a number');
      if (fault.cost !== undefined && (typeof fault.cost !== 'number' || fault.cost < 0)) throw new Error('cost must be a number of dollars, 0 or more');
      break;
    case 'mutate':
      if (!Array.isArray(fault.changes) || fault.changes.length === 0) throw new Error('mutate needs changes');
      for (const change of fault.changes as unknown[]) {
        if (!isObject(change) || typeof change.path !== 'string' || change.path === '') throw new Error('each change needs a path');
        if (change.remove !== undefined && typeof change.remove !== 'boolean') throw new Error('remove must be a boolean');
      }
      break;
    case 'echo-key':
    case 'hang':
    case 'reset':
    case 'truncated':
    case 'empty-body':
    case 'html-200':
      break;
    default:
      throw new Error(`unknown fault kind ${JSON.stringify(fault.kind)}`);
  }
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  matched: number;
  fired: number;
}

/** The rule's fault, or the next of its list. */
function fire(active: ActiveRule): Fault {
  const { fault } = active.rule;
  const chosen = Array.isArray(fault) ? fault[active.fired % fault.length]! : fault;
  active.fired++;
  return chosen;
}

function ruleMatches(rule: FaultRule, provider: SimLogEntry['provider'], method: string): boolean {
  if (rule.provider && rule.provider !== provider) return false;
  if (rule.method && rule.method !== method && !method.endsWith(`.${rule.method}`)) return false;
  return true;
}

/** A copy of `body` with the fields changed (see the `mutate` fault). */
export function mutateAnswer(body: unknown, changes: readonly FieldChange[]): unknown {
  const copy = structuredClone(body);
  for (const change of changes) {
    const keys = change.path.split('.');
    const last = keys.pop()!;
    let parent: unknown = copy;
    for (const key of keys) parent = isObject(parent) || Array.isArray(parent) ? (parent as Record<string, unknown>)[key] : undefined;
    if (!isObject(parent) && !Array.isArray(parent)) continue;
    const record = parent as Record<string, unknown>;
    if (change.remove) delete record[last];
    else record[last] = change.value;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Server

export function startSimulator(options: SimOptions = {}): Promise<Simulator> {
  const initialCredits = options.serpstatCredits ?? DEFAULT_SERPSTAT_CREDITS;
  const initialBalance = options.dataforseoBalanceUsd ?? DEFAULT_DATAFORSEO_BALANCE_USD;
  const initialLatency = options.latencyMs ?? 0;

  let credits = initialCredits;
  let balance = initialBalance;
  let latencyMs = initialLatency;
  let seq = 0;
  let rules: ActiveRule[] = [];
  const sizeOverrides = new Map<string, number>();
  const log: SimLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const account = (): AccountView => ({
    sizeOf: (domain, report) => sizeOverrides.get(`${domain.toLowerCase()}|${report}`) ?? datasetSize(domain, report),
    serpstatCreditsLeft: credits,
    serpstatMaxCredits: initialCredits,
    dataforseoBalanceUsd: balance,
    dataforseoInitialBalanceUsd: initialBalance,
  });

  /** The first rule that fires for this request; every-Nth rules count every match. */
  function takeFault(provider: SimLogEntry['provider'], method: string): Fault | null {
    let chosen: Fault | null = null;
    for (const active of rules) {
      if (!ruleMatches(active.rule, provider, method)) continue;
      if (active.rule.everyNth !== undefined) {
        active.matched++;
        if (!chosen && active.matched % active.rule.everyNth === 0) chosen = fire(active);
      } else if (!chosen) {
        active.remaining--;
        chosen = fire(active);
      }
    }
    rules = rules.filter((active) => active.rule.everyNth !== undefined || active.remaining > 0);
    return chosen;
  }

  function afterLatency(send: () => void): void {
    if (latencyMs <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, latencyMs);
    timers.add(timer);
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...corsHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function sendText(res: http.ServerResponse, status: number, contentType: string, text: string | Buffer, headers: Record<string, string> = {}): void {
    res.writeHead(status, { ...corsHeaders, 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  /** The normal answer of a provider request (nothing charged yet). */
  function providerAnswer(provider: 'serpstat' | 'dataforseo', req: http.IncomingMessage, url: URL, body: string): ProviderAnswer {
    if (provider === 'serpstat') {
      const call = parseSerpstatCall(body);
      if ('invalid' in call) return serpstatError(null, 400, `Invalid request: JSON schema error: ${call.invalid}`);
      return answerSerpstat(call, url.searchParams.get('token'), account());
    }
    if (!isDataForSeoAuthorized(req.headers.authorization)) {
      return dataforseoTopError(40100, 'You are not authorized to access this resource.', 401);
    }
    return answerDataForSeo(url.pathname, req.method ?? 'GET', body, account());
  }

  /** What a fault sends instead of the answer, and what it costs (only documented charges). */
  function faultAnswer(fault: Fault, entry: SimLogEntry, answer: () => ProviderAnswer, call: { id: unknown; task: unknown }, req: http.IncomingMessage, url: URL) {
    switch (fault.kind) {
      case 'echo-key': {
        if (entry.provider === 'serpstat') return serpstatError(call.id, 403, `Invalid token ${url.searchParams.get('token') ?? ''}`);
        const authorization = req.headers.authorization ?? '';
        const sent = Buffer.from(authorization.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
        return dataforseoTopError(40100, `You are not authorized to access this resource: ${sent} (${authorization}).`, 401);
      }
      case 'serpstat-error': {
        // No-data errors are charged 1 credit (docs/providers.md), like the real ones.
        const noData = fault.code === 32015 || fault.code === 32017;
        const charged = noData && entry.provider === 'serpstat' ? Math.min(1, credits) : 0;
        return serpstatError(call.id, fault.code, fault.message, charged);
      }
      case 'dataforseo-status': {
        if (fault.level === 'top') return dataforseoTopError(fault.statusCode, fault.statusMessage, fault.http ?? 200);
        // An invalid field is charged the base price (docs/providers.md), like the real one; any other as the fault says.
        const billed = fault.cost ?? (fault.statusCode === 40501 ? DATAFORSEO_BASE_COST : 0);
        const cost = entry.provider === 'dataforseo' ? Math.min(billed, balance) : 0;
        return dataforseoTaskError(entry.method, call.task, fault.statusCode, fault.statusMessage, cost, fault.http ?? 200);
      }
      case 'truncated': {
        const whole = answer();
        return { ...whole, charged: 0, rows: 0 };
      }
      case 'mutate': {
        const whole = answer();
        return { ...whole, body: mutateAnswer(whole.body, fault.changes) };
      }
      default:
        return null;
    }
  }

  function charge(provider: 'serpstat' | 'dataforseo', amount: number): void {
    if (provider === 'serpstat') credits = Math.max(0, credits - amount);
    else balance = Math.max(0, roundUsd(balance - amount));
  }

  function handleProvider(provider: 'serpstat' | 'dataforseo', req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): void {
    let method: string = url.pathname;
    let params: unknown = null;
    const call: { id: unknown; task: unknown } = { id: null, task: null };
    if (provider === 'serpstat') {
      const parsed = parseSerpstatCall(body);
      method = 'invalid' in parsed ? '' : parsed.method;
      params = 'invalid' in parsed ? null : parsed.params;
      call.id = 'invalid' in parsed ? null : parsed.id;
    } else if (req.method === 'POST') {
      const parsed = parseDataForSeoTask(body);
      params = 'task' in parsed ? parsed.task : null;
      call.task = params;
    }
    const entry: SimLogEntry = { seq: ++seq, time: Date.now(), provider, method, params, status: 0, outcome: 'ok', rows: 0, charged: 0 };
    log.push(entry);

    const fault = takeFault(provider, method);
    if (!fault) {
      let answer: ProviderAnswer;
      try {
        answer = providerAnswer(provider, req, url, body);
      } catch (error) {
        // A simulator bug must show up as a server error, not a dead connection.
        answer = { status: 500, body: { error: String(error) }, rows: 0, charged: 0, outcome: 'error' };
      }
      charge(provider, answer.charged);
      Object.assign(entry, { status: answer.status, outcome: answer.outcome, rows: answer.rows, charged: answer.charged });
      afterLatency(() => sendJson(res, answer.status, answer.body, answer.headers));
      return;
    }

    entry.outcome = 'fault';
    entry.fault = fault.kind;
    if (fault.kind === 'hang') return; // Answer nothing; close() or the client ends the socket.
    const replaced = faultAnswer(fault, entry, () => providerAnswer(provider, req, url, body), call, req, url);
    if (replaced) {
      charge(provider, replaced.charged);
      entry.charged = replaced.charged;
      entry.status = replaced.status;
      entry.rows = replaced.rows;
    } else if (fault.kind === 'http') {
      entry.status = fault.status;
    } else if (fault.kind === 'empty-body' || fault.kind === 'html-200') {
      entry.status = 200;
    }
    afterLatency(() => {
      switch (fault.kind) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'http': {
          const text = fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`;
          const looksJson = /^\s*[[{]/.test(text);
          const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
          sendText(res, fault.status, looksJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', text, headers);
          return;
        }
        case 'empty-body':
          sendText(res, 200, 'application/json; charset=utf-8', '');
          return;
        case 'html-200':
          sendText(res, 200, 'text/html; charset=utf-8', HTML_ERROR_PAGE);
          return;
        case 'truncated': {
          const whole = Buffer.from(JSON.stringify(replaced!.body));
          sendText(res, replaced!.status, 'application/json; charset=utf-8', whole.subarray(0, Math.floor(whole.length / 2)));
          return;
        }
        default:
          sendJson(res, replaced!.status, replaced!.body);
      }
    });
  }

  const simulator: Simulator = {
    url: '',
    serpstatUrl: '',
    dataforseoUrl: '',
    log,
    injectFault(rule) {
      const checked = parseFaultRule(rule);
      rules.push({ rule: checked, remaining: checked.times ?? 1, matched: 0, fired: 0 });
    },
    clearFaults() {
      rules = [];
    },
    setDatasetSize(domain, report, rows) {
      if (!reports.includes(report)) throw new Error(`unknown report ${String(report)}`);
      if (!Number.isInteger(rows) || rows < 0) throw new Error('rows must be an integer >= 0');
      sizeOverrides.set(`${domain.toLowerCase()}|${report}`, rows);
    },
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error('latency must be a number >= 0');
      latencyMs = ms;
    },
    creditsLeft: () => credits,
    balanceUsd: () => balance,
    reset() {
      log.length = 0;
      seq = 0;
      rules = [];
      credits = initialCredits;
      balance = initialBalance;
      latencyMs = initialLatency;
      sizeOverrides.clear();
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };

  function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: string): void {
    const route = `${req.method} ${path}`;
    let input: unknown = null;
    if (req.method === 'POST' && body.trim() !== '') {
      try {
        input = JSON.parse(body);
      } catch {
        return sendJson(res, 400, { error: 'body is not JSON' });
      }
    }
    try {
      switch (route) {
        case 'GET /__sim/health':
          return sendJson(res, 200, {
            ok: true,
            url: simulator.url,
            serpstatUrl: simulator.serpstatUrl,
            dataforseoUrl: simulator.dataforseoUrl,
            creditsLeft: credits,
            balanceUsd: balance,
            requests: log.length,
          });
        case 'GET /__sim/log':
          return sendJson(res, 200, log);
        case 'POST /__sim/reset':
          simulator.reset();
          return sendJson(res, 200, { ok: true });
        case 'POST /__sim/faults':
          simulator.injectFault(input as FaultRule);
          return sendJson(res, 200, { ok: true });
        case 'DELETE /__sim/faults':
          simulator.clearFaults();
          return sendJson(res, 200, { ok: true });
        case 'POST /__sim/datasets': {
          if (!isObject(input) || typeof input.domain !== 'string') throw new Error('expected {domain, report, rows}');
          simulator.setDatasetSize(input.domain, input.report as SimReport, input.rows as number);
          return sendJson(res, 200, { ok: true });
        }
        case 'POST /__sim/latency': {
          if (!isObject(input)) throw new Error('expected {ms}');
          simulator.setLatency(input.ms as number);
          return sendJson(res, 200, { ok: true });
        }
        default:
          return sendJson(res, 404, { error: `no control endpoint ${route}` });
      }
    } catch (error) {
      return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders);
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return sendJson(res, 413, { error: 'request body too large' });
      const body = Buffer.concat(chunks).toString('utf8');
      const path = url.pathname;
      if (path.startsWith('/__sim/')) return handleControl(req, res, path, body);
      if (path === '/v4' || path === '/v4/') return handleProvider('serpstat', req, res, url, body);
      if (path.startsWith('/v3/')) return handleProvider('dataforseo', req, res, url, body);
      sendJson(res, 404, { error: `nothing at ${path}` });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`simulator could not listen on 127.0.0.1:${options.port ?? SIM_PORT}: ${error.message}`)));
    server.listen(options.port ?? SIM_PORT, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      simulator.url = `http://127.0.0.1:${port}`;
      simulator.serpstatUrl = `${simulator.url}/v4`;
      simulator.dataforseoUrl = simulator.url;
      resolve(simulator);
    });
  });
}
