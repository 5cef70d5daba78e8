import { sqlErrors } from '../errors';
import { readTypeInfo, valueReaderFor, WireReader, NeedMoreData, type Value, type WireTypeInfo } from '../types';
import { readAllHeaders } from './all-headers';

/** Well-known procedure ids of RPC requests (ProcIDSwitch = 0xFFFF). */
export const ProcId = { SP_EXECUTESQL: 10, SP_PREPARE: 11, SP_EXECUTE: 12, SP_PREPEXEC: 13, SP_UNPREPARE: 15 } as const;
const PROC_NAMES: Record<number, string> = { 1: 'sp_cursor', 2: 'sp_cursoropen', 3: 'sp_cursorprepare', 4: 'sp_cursorexecute', 5: 'sp_cursorprepexec', 6: 'sp_cursorunprepare', 7: 'sp_cursorfetch', 8: 'sp_cursoroption', 9: 'sp_cursorclose', 10: 'sp_executesql', 11: 'sp_prepare', 12: 'sp_execute', 13: 'sp_prepexec', 14: 'sp_prepexecrpc', 15: 'sp_unprepare' };

export interface RpcParameter {
  name: string;
  output: boolean;
  info: WireTypeInfo;
  value: Value;
}

export interface RpcRequest {
  /** Lower-case procedure name (ids are translated to their names). */
  procedure: string;
  parameters: RpcParameter[];
}

/** Parses an RPC request message: ALL_HEADERS, procedure name or id, flags, parameters. */
export function parseRpc(payload: Buffer): RpcRequest {
  const r = new WireReader(payload, readAllHeaders(payload).length);
  try {
    let procedure: string;
    const nameLength = r.u16();
    if (nameLength === 0xffff) {
      const id = r.u16();
      procedure = PROC_NAMES[id] ?? `#${id}`;
    } else {
      r.need(nameLength * 2);
      procedure = payload.toString('utf16le', r.pos, r.pos + nameLength * 2).toLowerCase();
      r.pos += nameLength * 2;
    }
    r.u16(); // option flags (WithRecompile, NoMetaData, ReuseMetaData)
    const parameters: RpcParameter[] = [];
    while (r.pos < payload.length) {
      if (payload[r.pos] === 0xff || payload[r.pos] === 0x80) throw sqlErrors.notSupported('batched RPC requests');
      const name = r.bVarChar();
      const status = r.u8();
      const info = readTypeInfo(r);
      const value = valueReaderFor(info)(r);
      parameters.push({ name, output: (status & 0x01) !== 0, info, value });
      if (parameters.length > 2100) throw sqlErrors.tooManyParams();
    }
    return { procedure: procedure.replace(/^(sys|dbo)\./, ''), parameters };
  } catch (e) {
    if (e instanceof NeedMoreData) throw sqlErrors.protocolError('The RPC request ended in the middle of a parameter.');
    throw e;
  }
}
