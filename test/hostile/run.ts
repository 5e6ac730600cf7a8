/** Runs one hostile case in a child process (child.ts) and returns its JSON report. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface HostileReport {
  name: string;
  code: string;
  limit?: string;
  message: string;
  ms: number;
  /** CPU time of the load (user + system): what wall time becomes on an idle machine. */
  cpuMs: number;
  pulledBytes: number;
  unchanged: boolean;
  peakRss: number;
  rssSource: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

export async function runHostileCase(index: number): Promise<HostileReport> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'hostile', 'child.ts'), String(index)], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as HostileReport;
}
