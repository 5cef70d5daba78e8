/**
 * ALL_HEADERS (MS-TDS 2.2.5.3), which starts SQL_BATCH, RPC and TM requests: a total length,
 * then headers of which the transaction descriptor (type 2) matters here.
 */
export interface AllHeaders {
  length: number;
  transactionDescriptor?: Buffer;
}

export function readAllHeaders(p: Buffer): AllHeaders {
  if (p.length < 4) return { length: 0 };
  const total = p.readUInt32LE(0);
  // Requests from pre-7.2 clients have no ALL_HEADERS; a total beyond the payload means that.
  if (total < 4 || total > p.length) return { length: 0 };
  const result: AllHeaders = { length: total };
  let pos = 4;
  while (pos + 6 <= total) {
    const len = p.readUInt32LE(pos);
    const type = p.readUInt16LE(pos + 4);
    if (type === 2 && len >= 14) result.transactionDescriptor = p.subarray(pos + 6, pos + 14);
    if (len < 6) break;
    pos += len;
  }
  return result;
}
