// Alternating rounds: the contenders of a scenario take turns, round after round, so that a
// noisy neighbour on a shared machine slows both alike; the medians and their ratio are the result.

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `measure` for each contender in turn, `rounds` times (the order flips every round), and
 * returns for each the list of samples and the median of every numeric field.
 */
export async function alternate(rounds, contenders, measure) {
  const samples = Object.fromEntries(contenders.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) samples[contender].push(await measure(contender, round));
  }
  const medians = {};
  for (const contender of contenders) {
    const list = samples[contender];
    medians[contender] = {};
    for (const key of Object.keys(list[0])) {
      if (typeof list[0][key] === 'number')
        medians[contender][key] = median(list.map((s) => s[key]));
    }
  }
  return { samples, medians };
}

/** Same-round ratios (a / b), and their median: robust against drift across rounds. */
export function medianRatio(samples, a, b, key) {
  return median(samples[a].map((s, i) => s[key] / samples[b][i][key]));
}
