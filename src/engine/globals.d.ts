// The few globals that both runtimes (browser workers and Node 20+) provide and the engine may use.
// The engine's tsconfig has no DOM or Node types, so anything not declared here is a type error.

declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
interface SubtleCryptoLike {
  digest(algorithm: 'SHA-256', data: ArrayBufferView | ArrayBuffer): Promise<ArrayBuffer>;
}
declare var crypto: { subtle?: SubtleCryptoLike; getRandomValues?<T extends ArrayBufferView>(a: T): T } | undefined;
declare function queueMicrotask(cb: () => void): void;
declare function setTimeout(cb: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare var console: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
