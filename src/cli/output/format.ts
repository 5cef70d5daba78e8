/** Number formatting shared by progress lines and the summary table. */

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatRate(rows: number, seconds: number): string {
  return seconds > 0 ? formatCount(rows / seconds) : '–';
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1);
}

/** Left-aligned text columns, right-aligned where `numeric[i]` says so. */
export function formatTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}
