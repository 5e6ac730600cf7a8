/**
 * Tiles flying between the Registry tab's columns: every tile registers its element under
 * `column|key`, and a tile that a transfer brings into a column enters with `flight`, starting at
 * the rectangle of the tile it came from and gliding to its own place (a FLIP-style intro). With
 * no source (or duration 0: reduced motion, instant speed) it simply appears.
 */
import { cubicInOut } from 'svelte/easing';
import type { Attachment } from 'svelte/attachments';
import type { TransitionConfig } from 'svelte/transition';

const elements = new Map<string, HTMLElement>();

/** Registers a tile's element while it is in the page. */
export function tileElement(column: string, key: string): Attachment<HTMLElement> {
  return (node) => {
    const id = `${column}|${key}`;
    elements.set(id, node);
    return () => {
      if (elements.get(id) === node) elements.delete(id);
    };
  };
}

/** The intro of a tile that flies in from `from` (another column's tile). */
export function flight(node: HTMLElement, params: { from?: { column: string; key: string }; duration: number }): TransitionConfig {
  const source = params.from && elements.get(`${params.from.column}|${params.from.key}`);
  if (!source || !params.duration) return { duration: 0 };
  // A source folded away (docker.io's blobs sit in a closed <details>) flies from its summary line.
  let a = source.getBoundingClientRect();
  if (!a.width && !a.height) a = source.closest('details')?.querySelector('summary')?.getBoundingClientRect() ?? a;
  if (!a.width && !a.height) return { duration: 0 };
  const b = node.getBoundingClientRect();
  const dx = a.left - b.left;
  const dy = a.top - b.top;
  return {
    duration: params.duration,
    easing: cubicInOut,
    css: (t, u) => `transform: translate(${dx * u}px, ${dy * u}px) scale(${1 + 0.15 * Math.sin(Math.PI * t)}); z-index: 5; box-shadow: 0 ${6 * Math.sin(Math.PI * t)}px 12px rgb(0 0 0 / 0.25);`,
  };
}
