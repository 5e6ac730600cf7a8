/**
 * Disk usage and volumes: `docker system df -v` (images' shared and unique sizes, containers'
 * writable sizes, volumes, build cache). Volume verbs live in volumes.svelte.ts.
 */
import type { DfReport } from '../../worker/api.ts';
import type { EngineState } from './engine.svelte.ts';

export class DiskState {
  df = $state.raw<DfReport | undefined>(undefined);
  error = $state('');

  constructor(private readonly engine: EngineState) {}

  async refresh() {
    try {
      this.df = await (await this.engine.api()).containers.systemDf();
      this.error = '';
    } catch (e) {
      this.error = `system df: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
