/**
 * PRELOGIN (MS-TDS 2.2.6.5): a table of (token, offset, length) options followed by their data.
 * The stand-in answers with its version, the encryption it offers, and FEDAUTHREQUIRED=1 when
 * the client asked (that makes tedious echo it in the LOGIN7 FEDAUTH feature extension).
 */
export const PreloginOption = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
  TRACEID: 0x05,
  FEDAUTHREQUIRED: 0x06,
  TERMINATOR: 0xff,
} as const;

export const Encryption = { OFF: 0x00, ON: 0x01, NOT_SUP: 0x02, REQ: 0x03 } as const;

export const SERVER_VERSION = { major: 16, minor: 0, build: 1000, subbuild: 6 };

export interface ClientPrelogin {
  encryption?: number;
  fedAuthRequired?: number;
  mars?: number;
}

export function parsePrelogin(payload: Buffer): ClientPrelogin {
  const result: ClientPrelogin = {};
  let pos = 0;
  while (pos < payload.length && payload[pos] !== PreloginOption.TERMINATOR) {
    if (pos + 5 > payload.length) throw new Error('Malformed PRELOGIN option table');
    const token = payload[pos];
    const offset = payload.readUInt16BE(pos + 1);
    const length = payload.readUInt16BE(pos + 3);
    if (offset + length > payload.length) throw new Error('PRELOGIN option outside the payload');
    if (length > 0) {
      if (token === PreloginOption.ENCRYPTION) result.encryption = payload[offset];
      if (token === PreloginOption.FEDAUTHREQUIRED) result.fedAuthRequired = payload[offset];
      if (token === PreloginOption.MARS) result.mars = payload[offset];
    }
    pos += 5;
  }
  return result;
}

export function buildPreloginResponse(encryption: number, client: ClientPrelogin): Buffer {
  const version = Buffer.alloc(6);
  version[0] = SERVER_VERSION.major;
  version[1] = SERVER_VERSION.minor;
  version.writeUInt16BE(SERVER_VERSION.build, 2);
  version.writeUInt16BE(SERVER_VERSION.subbuild, 4);
  const options: [number, Buffer][] = [
    [PreloginOption.VERSION, version],
    [PreloginOption.ENCRYPTION, Buffer.from([encryption])],
    [PreloginOption.INSTOPT, Buffer.from([0])],
    [PreloginOption.THREADID, Buffer.alloc(0)],
    [PreloginOption.MARS, Buffer.from([0])],
  ];
  if (client.fedAuthRequired !== undefined) options.push([PreloginOption.FEDAUTHREQUIRED, Buffer.from([1])]);
  const tableLength = options.length * 5 + 1;
  const out = Buffer.alloc(tableLength + options.reduce((n, [, d]) => n + d.length, 0));
  let pos = 0;
  let dataPos = tableLength;
  for (const [token, data] of options) {
    out[pos] = token;
    out.writeUInt16BE(dataPos, pos + 1);
    out.writeUInt16BE(data.length, pos + 3);
    data.copy(out, dataPos);
    pos += 5;
    dataPos += data.length;
  }
  out[pos] = PreloginOption.TERMINATOR;
  return out;
}
