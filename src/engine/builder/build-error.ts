/** The error a build step fails with (`build/failed`), located at its instruction. */
import { LayerlabError, type SourceRange } from '../errors.ts';

/** A `build/failed` LayerlabError with the instruction's range, structured data and the original cause. */
export function buildError(message: string, range?: SourceRange, data: Record<string, unknown> = {}, cause?: unknown): LayerlabError {
  return new LayerlabError('build/failed', message, { range, data, cause });
}
