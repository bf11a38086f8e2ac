/**
 * Builds the extension pointed at the local provider simulator (tests/sim) instead of the real
 * providers: `wxt build` with the endpoint overrides of lib/background/config.ts. The output is
 * the usual .output/chrome-mv3, whose manifest then also grants the simulator's origin.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SIM_DATAFORSEO_URL, SIM_SERPSTAT_URL } from '../tests/sim/constants';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs the sim build; throws when `wxt build` fails so callers (demo, CI) stop early. */
export function buildForSim(): void {
  // The local wxt binary through this Node, so no npx lookup or shell is involved.
  const wxtBin = fileURLToPath(new URL('../node_modules/wxt/bin/wxt.mjs', import.meta.url));
  const build = spawnSync(process.execPath, [wxtBin, 'build'], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, WXT_SERPSTAT_API_URL: SIM_SERPSTAT_URL, WXT_DATAFORSEO_API_URL: SIM_DATAFORSEO_URL },
  });
  if (build.error) throw build.error;
  if (build.status !== 0) throw new Error(`wxt build for the simulator failed (exit code ${build.status})`);
}

const runDirectly = process.argv[1] === fileURLToPath(import.meta.url);
if (runDirectly) {
  try {
    buildForSim();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
