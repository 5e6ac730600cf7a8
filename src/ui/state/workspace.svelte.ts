/**
 * The user's work: Dockerfile, build context and tag. Saved to localStorage on every change so it
 * survives a reload and a crashed worker (the worker never holds the only copy).
 */
import { PRESETS } from '../presets.ts';

const KEY = 'layerlab.workspace.v1';

interface Saved {
  dockerfile: string;
  files: Record<string, string>;
  tag: string;
}

function load(): Saved {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (raw) return JSON.parse(raw) as Saved;
  } catch {
    // a corrupt entry falls back to the first preset
  }
  const p = PRESETS[0];
  return { dockerfile: p.dockerfile, files: { ...p.files }, tag: p.tag };
}

export class Workspace {
  dockerfile = $state('');
  files = $state<Record<string, string>>({});
  tag = $state('');

  constructor() {
    const s = load();
    this.dockerfile = s.dockerfile;
    this.files = s.files;
    this.tag = s.tag;
    $effect.root(() => {
      $effect(() => {
        const snapshot: Saved = { dockerfile: this.dockerfile, files: $state.snapshot(this.files), tag: this.tag };
        try {
          globalThis.localStorage?.setItem(KEY, JSON.stringify(snapshot));
        } catch {
          // storage full or disabled: the work stays in memory
        }
      });
    });
  }

  usePreset(id: string) {
    const p = PRESETS.find((x) => x.id === id);
    if (!p) return;
    this.dockerfile = p.dockerfile;
    this.files = { ...p.files };
    this.tag = p.tag;
  }

  setFile(path: string, text: string) {
    this.files = { ...this.files, [path]: text };
  }

  removeFile(path: string) {
    const { [path]: _, ...rest } = this.files;
    this.files = rest;
  }
}
