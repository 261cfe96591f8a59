// Formatting: numbers, markdown tables, a scenario's HTTP rows, and the target checks.

/** A number with thousands separators and `digits` decimals. */
export function num(value, digits = 0) {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A markdown table, columns padded so that Prettier leaves it as it is. */
export function table(head, rows) {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(3, ...all.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/** Head and rows for contenders measured with httpLoad (medians). */
export function httpRows(medians) {
  return {
    head: ['server', 'req/s', 'p50 ms', 'p99 ms'],
    rows: Object.entries(medians).map(([label, m]) => [
      label,
      num(m.rps),
      num(m.p50, 2),
      num(m.p99, 2),
    ]),
  };
}

/** A ratio check: met when `value` ≥ `min`. */
export function atLeast(what, value, min) {
  return { what, value: `${num(value, 2)}×`, target: `≥ ${min}×`, met: value >= min };
}
