import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { chromiumPath } from '../tests/e2e/extension-browser';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
  chromium: string;
  /** The 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
}

/** What the figures were measured on; they only compare within one machine. */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  // Debian's chromium wrapper prints shell noise after the version line.
  const version = spawnSync(chromiumPath(), ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: /Chromium [\d.]+/.exec(version)?.[0] ?? (version.split('\n')[0]?.trim() || 'unknown'),
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.ramGb} GB RAM, ${machine.os}; Node ${machine.node}; ${machine.chromium}; load average ${machine.loadAverage} at the start`;
}
