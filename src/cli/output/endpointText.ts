/** One-line descriptions of homes and stores, for the plan and for `debug`. */
import type { HomeConfig, InlineMssqlConnectionConfig, StoreConfig } from '../../config/schema';

function connectionLabel(connection: string | InlineMssqlConnectionConfig): string {
  return typeof connection === 'string' ? connection : `${connection.server}/${connection.database}`;
}

export function describeHome(home: HomeConfig): string {
  if (home.type === 'parquet') return `parquet ${home.storage ? `${home.storage}:` : ''}${home.path}`;
  return `mssql ${connectionLabel(home.connection)} ${home.table ?? `query: ${oneLine(home.query ?? '')}`}`;
}

export function describeStore(store: StoreConfig): string {
  if (store.type === 'parquet') {
    const compression = store.compression ? ` (${store.compression})` : '';
    return `parquet ${store.storage ? `${store.storage}:` : ''}${store.path}${compression}`;
  }
  return `mssql ${connectionLabel(store.connection)} ${store.table}${store.write ? ` (${store.write})` : ''}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
