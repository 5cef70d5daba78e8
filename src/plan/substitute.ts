/**
 * `{entity}` substitution, per kind of target, because a name pasted into a path, a table
 * name and a query needs different care:
 * - paths: the name is one path segment; without `{entity}` the entity's folder is appended;
 * - table names: each part is substituted, then quoted, so `dbo.{entity}` is `[dbo].[orders]`;
 * - queries: `{entity}` becomes a quoted identifier, never raw text (no injection via names).
 */
import { HyggeError } from '../errors';
import { formatMultipartName, parseMultipartName, quoteIdentifier } from '../sql/identifier';

export const ENTITY_PLACEHOLDER = '{entity}';

/** Entity names become path segments and SQL names: refuse what would escape either. */
export function assertValidEntityName(entity: string, context: { flow: string; file?: string }): void {
  const bad =
    entity.length === 0 ||
    entity === '.' ||
    entity === '..' ||
    /[\/\\\u0000-\u001f]/.test(entity);
  if (bad) {
    throw new HyggeError('CONFIG_INVALID', `entity name ${JSON.stringify(entity)} cannot be used as a path segment`, {
      hint: 'Entity names may not be empty, "." or "..", nor contain /, \\ or control characters.',
      context: { flow: context.flow, entity, file: context.file },
    });
  }
}

export function substitutePath(template: string, entity: string): string {
  if (template.includes(ENTITY_PLACEHOLDER)) return template.split(ENTITY_PLACEHOLDER).join(entity);
  return `${template.replace(/\/+$/, '')}/${entity}`;
}

export function substituteTableName(template: string, entity: string): string {
  const parts = parseMultipartName(template).map((p) => p.split(ENTITY_PLACEHOLDER).join(entity));
  return formatMultipartName(parts);
}

export function substituteQuery(query: string, entity: string): string {
  return query.split(ENTITY_PLACEHOLDER).join(quoteIdentifier(entity));
}
