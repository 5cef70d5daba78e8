/**
 * An activity that gives up throws; Durable carries only the error's text to the
 * orchestrator (wrapped in its own words). The structured HyggeError travels inside that
 * text between two markers, so the lane can record the real code and message.
 */
import type { HyggeErrorJson } from '../errors';
import type { OutcomeError } from './outcome';

const OPEN = '[hygge-error]';
const CLOSE = '[/hygge-error]';

export function encodeFailure(error: HyggeErrorJson): string {
  return `${error.code}: ${error.message} ${OPEN}${JSON.stringify({ code: error.code, message: error.message, hint: error.hint })}${CLOSE}`;
}

/** The HyggeError inside an orchestration failure's text, or an INTERNAL one with that text. */
export function decodeFailure(text: string): OutcomeError {
  const start = text.indexOf(OPEN);
  const end = start >= 0 ? text.indexOf(CLOSE, start) : -1;
  if (start >= 0 && end > start) {
    try {
      const parsed = JSON.parse(text.slice(start + OPEN.length, end)) as OutcomeError;
      if (typeof parsed.code === 'string' && typeof parsed.message === 'string') return parsed;
    } catch {
      // fall through to the raw text
    }
  }
  return { code: 'INTERNAL', message: text.trim() || 'the activity failed without a message' };
}
