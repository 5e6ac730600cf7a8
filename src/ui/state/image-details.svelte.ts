/**
 * The Images tab's detail views of one image: `docker image inspect` JSON, the real objects
 * (index → manifest → config → layers), and a comparison with a second image. Loaded on demand
 * from the worker; a superseded request is ignored.
 */
import type { Remote } from 'comlink';
import type { EngineApi, ImageInspect, ImageObjects, StackComparison } from '../../worker/api.ts';

export type DetailView = 'history' | 'inspect' | 'objects' | 'compare';

export class ImageDetailsState {
  view = $state<DetailView>('history');
  inspect = $state.raw<ImageInspect | null>(null);
  objects = $state.raw<ImageObjects | null>(null);
  /** The image compared against the selected one ("before"), and the result. */
  compareWith = $state<string | null>(null);
  comparison = $state.raw<StackComparison | null>(null);
  error = $state('');
  private seq = 0;

  constructor(private readonly api: () => Promise<Remote<EngineApi>>) {}

  /** Loads the current view for `imageId`. */
  async load(imageId: string | undefined): Promise<void> {
    const my = ++this.seq;
    this.error = '';
    if (!imageId) {
      this.inspect = null;
      this.objects = null;
      this.comparison = null;
      return;
    }
    try {
      const api = await this.api();
      if (this.view === 'inspect') {
        const r = await api.images.inspect(imageId);
        if (my === this.seq) this.inspect = r;
      } else if (this.view === 'objects') {
        const r = await api.inspector.objects(imageId);
        if (my === this.seq) this.objects = r;
      } else if (this.view === 'compare' && this.compareWith) {
        const r = await api.inspector.compare(this.compareWith, imageId);
        if (my === this.seq) this.comparison = r;
      }
    } catch (e) {
      if (my === this.seq) this.error = (e as Error).message;
    }
  }
}
