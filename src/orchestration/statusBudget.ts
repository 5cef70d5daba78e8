/**
 * Durable keeps custom status under 16 KB. Lists that grow with the run (failed entities,
 * recent outcomes) go through `fitToBudget`, which keeps as many items as fit in a byte
 * budget and says how many it left out.
 */
export const CUSTOM_STATUS_LIMIT_BYTES = 16 * 1024;
/** what the growing lists of one status may take together; the fixed fields fit in the rest */
export const LIST_BUDGET_BYTES = 12 * 1024;

export interface Fitted<T> {
  items: T[];
  omitted: number;
}

export function fitToBudget<T>(items: readonly T[], budgetBytes: number): Fitted<T> {
  const kept: T[] = [];
  let used = 2; // []
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
    if (used + size > budgetBytes) break;
    kept.push(item);
    used += size;
  }
  return { items: kept, omitted: items.length - kept.length };
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
