/**
 * `npx tsx tests/sim/cli.ts [--port N] [--latency MS]` (or `npm run sim`): runs the provider
 * simulator until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { SIM_DATAFORSEO_LOGIN, SIM_DATAFORSEO_PASSWORD, SIM_PORT, SIM_SERPSTAT_TOKEN } from './constants';
import { startSimulator } from './server';

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    console.error(`--${name} must be a whole number >= 0, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return number;
}

const { values } = parseArgs({
  options: { port: { type: 'string' }, latency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('Usage: npx tsx tests/sim/cli.ts [--port N] [--latency MS]');
  process.exit(0);
}

const sim = await startSimulator({
  port: numberOption(values.port, 'port', SIM_PORT),
  latencyMs: numberOption(values.latency, 'latency', 0),
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

console.log(`Provider simulator on ${sim.url}
  Serpstat API URL:    ${sim.serpstatUrl}   token: ${SIM_SERPSTAT_TOKEN}
  DataForSEO API URL:  ${sim.dataforseoUrl}   login: ${SIM_DATAFORSEO_LOGIN}   password: ${SIM_DATAFORSEO_PASSWORD}
  Control: GET /__sim/health, GET /__sim/log, POST /__sim/reset, POST|DELETE /__sim/faults, POST /__sim/datasets, POST /__sim/latency
Ctrl+C stops it.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
