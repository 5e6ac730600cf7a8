/**
 * Random container names as Docker makes them (moby `pkg/namesgenerator`): `adjective_surname`,
 * from a short excerpt of moby's lists. Like moby, `boring_wozniak` is never produced.
 */
import type { Random } from '../host.ts';

const ADJECTIVES = [
  'admiring', 'affectionate', 'amazing', 'awesome', 'blissful', 'bold', 'brave', 'busy', 'charming', 'clever',
  'compassionate', 'competent', 'confident', 'cool', 'dazzling', 'determined', 'eager', 'ecstatic', 'elegant',
  'epic', 'exciting', 'fervent', 'focused', 'friendly', 'funny', 'gallant', 'gifted', 'goofy', 'gracious', 'happy',
  'hopeful', 'infallible', 'inspiring', 'intelligent', 'jolly', 'keen', 'kind', 'laughing', 'loving', 'lucid',
  'magical', 'modest', 'musing', 'mystifying', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic', 'peaceful',
  'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'relaxed', 'reverent', 'romantic', 'serene', 'sharp',
  'silly', 'sleepy', 'stoic', 'strange', 'sweet', 'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant',
  'vigorous', 'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen', 'boring',
];

const SURNAMES = [
  'agnesi', 'albattani', 'allen', 'archimedes', 'babbage', 'bardeen', 'bartik', 'bell', 'blackwell', 'bohr',
  'booth', 'borg', 'brattain', 'burnell', 'carson', 'cerf', 'curie', 'darwin', 'diffie', 'dijkstra', 'easley',
  'einstein', 'elion', 'euclid', 'euler', 'faraday', 'fermat', 'feynman', 'franklin', 'galileo', 'gauss',
  'goldberg', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hellman', 'hopper', 'hypatia', 'jackson',
  'johnson', 'kalam', 'kepler', 'knuth', 'lamarr', 'lamport', 'leakey', 'lovelace', 'lumiere', 'mayer',
  'mccarthy', 'mcclintock', 'meitner', 'mendel', 'morse', 'napier', 'newton', 'noether', 'pascal', 'pasteur',
  'payne', 'perlman', 'pike', 'poincare', 'ramanujan', 'ritchie', 'rosalind', 'sammet', 'shannon', 'shirley',
  'sinoussi', 'stonebraker', 'swartz', 'tesla', 'thompson', 'torvalds', 'turing', 'varahamihira', 'volhard',
  'wilbur', 'wiles', 'williams', 'wing', 'wozniak', 'wright', 'yalow', 'zhukovsky',
];

function pick<T>(random: Random, list: readonly T[]): T {
  const b = random.bytes(2);
  return list[((b[0] << 8) | b[1]) % list.length];
}

/** A random `adjective_surname` (never `boring_wozniak`: "Steve Wozniak is not boring", moby's rule). */
export function randomName(random: Random): string {
  for (;;) {
    const name = `${pick(random, ADJECTIVES)}_${pick(random, SURNAMES)}`;
    if (name !== 'boring_wozniak') return name;
  }
}
