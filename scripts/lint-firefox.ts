/**
 * The Firefox store check: `wxt zip -b firefox` (a production build, no endpoint overrides), then
 * Mozilla's addons-linter on the zip. Prints every finding; fails on any error (warnings are
 * listed, see README "Firefox" for the ones that come from React and zod).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const { name, version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const zipPath = path.join(projectRoot, '.output', `${name}-${version}-firefox.zip`);

interface Finding {
  code: string;
  message: string;
  file?: string;
  line?: number;
}
interface LinterReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: Finding[];
  warnings: Finding[];
  notices: Finding[];
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules', bin), ...args], { cwd: projectRoot, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

// A store build calls the real providers, whatever this shell has set.
const { WXT_SERPSTAT_API_URL: _serpstat, WXT_DATAFORSEO_API_URL: _dataforseo, ...storeEnv } = process.env;
const zip = run('wxt/bin/wxt.mjs', ['zip', '-b', 'firefox'], storeEnv);
if (zip.status !== 0) {
  console.error(zip.stdout, zip.stderr);
  throw new Error(`wxt zip -b firefox failed (exit code ${zip.status})`);
}

const lint = run('addons-linter/bin/addons-linter', ['--output', 'json', zipPath]);
const report = JSON.parse(lint.stdout) as LinterReport;
for (const kind of ['errors', 'warnings', 'notices'] as const) {
  for (const finding of report[kind]) {
    console.log(`${kind.slice(0, -1)} ${finding.code}${finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : ''}: ${finding.message}`);
  }
}
const { errors, warnings, notices } = report.summary;
console.log(`addons-linter ${path.relative(projectRoot, zipPath)}: ${errors} errors, ${warnings} warnings, ${notices} notices`);
if (errors > 0) process.exit(1);
