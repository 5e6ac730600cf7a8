/**
 * Disk usage and volumes: `docker system df -v` (images' shared and unique sizes, containers'
 * writable sizes, volumes, build cache) and `docker volume ls / create / rm`.
 */
import type { DfReport } from '../../worker/api.ts';
import type { EngineState } from './engine.svelte.ts';

export class DiskState {
  df = $state.raw<DfReport | undefined>(undefined);
  error = $state('');
  message = $state('');

  constructor(private readonly engine: EngineState) {}

  async refresh() {
    try {
      this.df = await (await this.engine.api()).containers.systemDf();
      this.error = '';
    } catch (e) {
      this.error = `system df: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private async verb(what: string, fn: () => Promise<string>) {
    try {
      this.message = await this.engine.track(what, fn);
      this.error = '';
    } catch (e) {
      this.error = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    }
    await this.refresh();
  }

  createVolume = (name: string) => this.verb('creating a volume', async () => (await this.engine.api()).containers.volumeCreate(name.trim() || undefined));
  removeVolume = (name: string) => this.verb(`removing volume ${name}`, async () => (await this.engine.api()).containers.volumeRm(name));
}
