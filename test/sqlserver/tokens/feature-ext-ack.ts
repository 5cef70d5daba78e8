import type { TdsWriter } from '../protocol/writer';
import { FeatureId } from '../protocol/login7';
import { TokenType } from './token-type';

/**
 * FEATUREEXTACK: one entry per feature the server accepts. FEDAUTH is acknowledged with no
 * data (no nonce was sent), UTF8_SUPPORT with 0x01.
 */
export function writeFeatureExtAck(w: TdsWriter, features: { fedAuth: boolean; utf8: boolean }): void {
  w.u8(TokenType.FEATUREEXTACK);
  if (features.fedAuth) {
    w.u8(FeatureId.FEDAUTH);
    w.u32(0);
  }
  if (features.utf8) {
    w.u8(FeatureId.UTF8_SUPPORT);
    w.u32(1);
    w.u8(1);
  }
  w.u8(FeatureId.TERMINATOR);
}
