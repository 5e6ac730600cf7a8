/** The guided lessons: LAB-DESIGN's eight starter scenarios as scenario files (a teacher adds one by adding a JSON file here). */
import { validateScenario, type Scenario } from '../format.ts';

const files = import.meta.glob<{ default: unknown }>('./*.json', { eager: true });

/** Every lesson, validated, in file-name order. */
export const LESSONS: Scenario[] = Object.keys(files)
  .sort()
  .map((k) => validateScenario(files[k].default));
