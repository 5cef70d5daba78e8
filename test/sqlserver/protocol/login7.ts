/**
 * LOGIN7 (MS-TDS 2.2.6.4): a 94-byte fixed part with (offset, length) pairs pointing at UCS-2
 * strings, the password scrambled (nibbles swapped, XOR 0xA5), and for TDS 7.4 a FeatureExt
 * block (reached through a 4-byte pointer at ibExtension) carrying FEDAUTH and UTF8_SUPPORT.
 */
export const FeatureId = { SESSIONRECOVERY: 0x01, FEDAUTH: 0x02, COLUMNENCRYPTION: 0x04, GLOBALTRANSACTIONS: 0x05, AZURESQLSUPPORT: 0x08, UTF8_SUPPORT: 0x0a, TERMINATOR: 0xff } as const;

export const FedAuthLibrary = { SECURITYTOKEN: 0x01, ADAL: 0x02 } as const;

export interface FedAuthRequest {
  library: number;
  echo: boolean;
  /** ADAL workflow (0x01 user/password, 0x02 integrated) when library is ADAL. */
  workflow?: number;
  /** The token itself when library is SECURITYTOKEN. */
  token?: string;
}

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  optionFlags1: number;
  optionFlags2: number;
  typeFlags: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  language: string;
  database: string;
  sspiLength: number;
  fedAuth?: FedAuthRequest;
  utf8Support: boolean;
}

export const TDS_7_4 = 0x74000004;

function unscramble(buf: Buffer): string {
  const out = Buffer.allocUnsafe(buf.length);
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] ^ 0xa5;
    out[i] = ((b << 4) & 0xf0) | (b >> 4);
  }
  return out.toString('utf16le');
}

export function parseLogin7(p: Buffer): Login7 {
  if (p.length < 94) throw new Error('LOGIN7 shorter than its fixed part');
  const str = (at: number) => {
    const offset = p.readUInt16LE(at);
    const chars = p.readUInt16LE(at + 2);
    return p.toString('utf16le', offset, offset + chars * 2);
  };
  const pwOffset = p.readUInt16LE(44);
  const pwChars = p.readUInt16LE(46);
  const login: Login7 = {
    tdsVersion: p.readUInt32LE(4),
    packetSize: p.readUInt32LE(8),
    optionFlags1: p[24],
    optionFlags2: p[25],
    typeFlags: p[26],
    hostName: str(36),
    userName: str(40),
    password: unscramble(p.subarray(pwOffset, pwOffset + pwChars * 2)),
    appName: str(48),
    serverName: str(52),
    libraryName: str(60),
    language: str(64),
    database: str(68),
    sspiLength: p.readUInt16LE(80),
    utf8Support: false,
  };
  const optionFlags3 = p[27];
  const extensionUsed = (optionFlags3 & 0x10) !== 0;
  if (extensionUsed && login.tdsVersion >= TDS_7_4) {
    const ibExtension = p.readUInt16LE(56);
    const cbExtension = p.readUInt16LE(58);
    if (cbExtension >= 4) parseFeatureExt(p, p.readUInt32LE(ibExtension), login);
  }
  return login;
}

function parseFeatureExt(p: Buffer, pos: number, login: Login7): void {
  while (pos < p.length && p[pos] !== FeatureId.TERMINATOR) {
    const id = p[pos];
    const len = p.readUInt32LE(pos + 1);
    const data = p.subarray(pos + 5, pos + 5 + len);
    pos += 5 + len;
    if (id === FeatureId.FEDAUTH) {
      const options = data[0];
      const fedAuth: FedAuthRequest = { library: options >> 1, echo: (options & 1) === 1 };
      if (fedAuth.library === FedAuthLibrary.SECURITYTOKEN) {
        const tokenLen = data.readUInt32LE(1);
        fedAuth.token = data.toString('utf16le', 5, 5 + tokenLen);
      } else if (fedAuth.library === FedAuthLibrary.ADAL) {
        fedAuth.workflow = data[1];
      }
      login.fedAuth = fedAuth;
    } else if (id === FeatureId.UTF8_SUPPORT) {
      login.utf8Support = true;
    }
  }
}

/** FEDAUTH_TOKEN message (packet type 0x08): DataLen, then TokenLen + UCS-2 token (+ nonce). */
export function parseFedAuthToken(p: Buffer): string {
  const tokenLen = p.readUInt32LE(4);
  return p.toString('utf16le', 8, 8 + tokenLen);
}
