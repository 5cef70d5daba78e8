/**
 * Which objects a Parquet home reads for one entity. `path` is final (the plan substituted or
 * appended the entity) and is one of:
 *   - a file:   `sales/orders.parquet`
 *   - a folder: every `*.parquet` under it, recursively, sorted by key
 *   - a glob:   `*` within a segment, `**` across segments, `?` one character
 * Folders and globs skip hidden segments (`_…`, `.…`: staging areas, `_SUCCESS`, temp files).
 */
import { HyggeError } from '../errors';
import { globBase, globToRegExp, isGlob } from '../storage/glob';
import { asFolderPrefix, isHiddenKey, normaliseKey } from '../storage/keys';
import type { ObjectInfo, ObjectStore } from '../storage/objectStore';

export async function findSourceFiles(objects: ObjectStore, path: string): Promise<ObjectInfo[]> {
  const key = normaliseKey(path);
  let found: ObjectInfo[];
  if (isGlob(key)) {
    const base = globBase(key);
    const pattern = globToRegExp(key);
    found = (await objects.list(base)).filter((o) => pattern.test(o.key) && !isHiddenKey(o.key.slice(base.length)));
  } else if (key !== '' && !key.endsWith('/') && (await objects.exists(key))) {
    found = (await objects.list(key)).filter((o) => o.key === key);
  } else {
    const folder = asFolderPrefix(key);
    found = (await objects.list(folder)).filter((o) => o.key.endsWith('.parquet') && !isHiddenKey(o.key.slice(folder.length)));
  }
  if (found.length === 0) {
    throw new HyggeError('SOURCE_NOT_FOUND', `no Parquet files at ${objects.describe(key)}`, {
      hint: isGlob(key)
        ? 'No file matches the pattern; check the path and its wildcards.'
        : 'Check the path: a file, or a folder holding *.parquet files (local paths are relative to the project folder). Without {entity} in the path, the entity\'s name is appended as a folder.',
      context: { file: objects.describe(key) },
    });
  }
  return found;
}
