import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { frameMessage, PacketType } from './packet';

/**
 * TLS inside TDS 7.x (client `encrypt: true`, MS-TDS 3.3.5.2): after PRELOGIN answers
 * ENCRYPT_ON, the TLS handshake records travel as the payload of PRELOGIN packets; once it is
 * done, TLS records flow on the socket unwrapped and carry every further TDS packet.
 *
 * The TLS engine sees this Duplex as its transport: handshake bytes from the client are
 * `receiveHandshake`d out of PRELOGIN packets, afterwards raw socket bytes are `receiveRaw`d;
 * its output is wrapped into PRELOGIN packets until the session first writes application
 * data (`unwrapOutput`), which can only happen after the handshake's last flight went out.
 */
export class PreloginTlsTransport extends Duplex {
  private wrapOutput = true;

  constructor(private readonly socket: Duplex) {
    super();
  }

  receiveHandshake(payload: Buffer): void {
    this.push(payload);
  }

  receiveRaw(chunk: Buffer): void {
    this.push(chunk);
  }

  unwrapOutput(): void {
    this.wrapOutput = false;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.socket.destroyed) return callback();
    this.socket.write(this.wrapOutput ? frameMessage(PacketType.PRELOGIN, chunk, 4096, 0) : chunk, callback);
  }

  override _final(callback: () => void): void {
    callback();
  }

  /** Starts the server side of the handshake over this transport. */
  static start(socket: Duplex, credentials: { cert: string; key: string }): { transport: PreloginTlsTransport; secure: tls.TLSSocket } {
    const transport = new PreloginTlsTransport(socket);
    const secure = new tls.TLSSocket(transport, {
      isServer: true,
      secureContext: tls.createSecureContext({ cert: credentials.cert, key: credentials.key, minVersion: 'TLSv1.2' }),
    });
    return { transport, secure };
  }
}
