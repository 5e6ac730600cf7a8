/**
 * The teacher's controls: animation speed, step-by-step mode, projector mode. Saved in
 * localStorage; reduced motion follows the system setting.
 */
const KEY = 'layerlab.teaching.v1';

/** How fast build animations play; slow motion also paces the build itself. */
export type Speed = 'slow' | 'normal' | 'instant';

/** Pause before each step in slow motion (the build waits, so the class can follow). */
export const SLOW_STEP_MS = 1200;

interface Saved {
  speed: Speed;
  stepMode: boolean;
  projector: boolean;
}

export class TeachingState {
  speed = $state<Speed>('normal');
  stepMode = $state(false);
  projector = $state(false);
  reducedMotion = $state(false);

  /** `persist: false` (an embed): defaults, neither read from nor saved to the lab's settings. */
  constructor(options: { persist?: boolean } = {}) {
    const persist = options.persist ?? true;
    try {
      const raw = persist ? globalThis.localStorage?.getItem(KEY) : null;
      if (raw) Object.assign(this, JSON.parse(raw) as Partial<Saved>);
    } catch {
      // defaults
    }
    const mq = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
    if (mq) {
      this.reducedMotion = mq.matches;
      mq.addEventListener?.('change', (e) => (this.reducedMotion = e.matches));
    }
    if (!persist) return;
    $effect.root(() => {
      $effect(() => {
        const s: Saved = { speed: this.speed, stepMode: this.stepMode, projector: this.projector };
        try {
          globalThis.localStorage?.setItem(KEY, JSON.stringify(s));
        } catch {
          // storage disabled
        }
      });
    });
  }

  /** Length of a slab's entrance in ms (0: appear at once, as with reduced motion). */
  get animationMs(): number {
    if (this.reducedMotion || this.speed === 'instant') return 0;
    return this.speed === 'slow' ? 1000 : 350;
  }
}
