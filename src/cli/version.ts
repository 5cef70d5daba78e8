import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The version in package.json, found by walking up from this file (works from src/ and dist/src/). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
