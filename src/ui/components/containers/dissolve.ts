/**
 * The Svelte transition of a removed container slab: it fades, blurs and shrinks away (its data is
 * gone). A duration of 0 (reduced motion, instant speed) removes it at once.
 */
export function dissolve(_node: Element, { duration }: { duration: number }) {
  return {
    duration,
    css: (t: number) => `opacity: ${t}; filter: blur(${((1 - t) * 3).toFixed(2)}px); transform: scale(${(0.9 + 0.1 * t).toFixed(3)});`,
  };
}
