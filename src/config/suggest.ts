import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate a typo most likely meant, or undefined when nothing is close enough to be a
 * useful guess. Two edits are allowed (a swapped pair of letters, `stroe`, is two), a third of
 * the word for long words, at most 3; one for words of three letters or fewer.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  const allowed = word.length <= 3 ? 1 : Math.min(3, Math.max(2, Math.floor(word.length / 3)));
  return distance(word, best) <= allowed ? best : undefined;
}

/** ` — did you mean "store"?`, or an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = suggest(word, candidates);
  return guess === undefined ? '' : ` — did you mean "${guess}"?`;
}
