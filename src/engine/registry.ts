/**
 * Which home and store implementation serves a job. The engine knows the families only
 * through this switch; each family lives in its own module, loaded the first time a job uses
 * it, so a thread that only moves Parquet never loads the SQL Server driver, and vice versa.
 */
import type { Home } from '../homes/home';
import type { EntityJob } from '../plan/job';
import type { Store } from '../stores/store';
import type { EntityRunEnv } from './runEnv';

const parquetHomes = () => require('../homes/parquetHome') as typeof import('../homes/parquetHome');
const parquetStores = () => require('../stores/parquetStore') as typeof import('../stores/parquetStore');
const mssqlHomes = () => require('../homes/mssqlHome') as typeof import('../homes/mssqlHome');
const mssqlStores = () => require('../stores/mssqlStore') as typeof import('../stores/mssqlStore');

export function createHome(job: EntityJob, env: EntityRunEnv): Home {
  const home = job.home;
  switch (home.type) {
    case 'parquet':
      return parquetHomes().createParquetHome(home, job, env.resources, env.project.options);
    case 'mssql':
      return mssqlHomes().createMssqlHome(home, job, env.resources, env.project.options);
  }
}

export function createStore(job: EntityJob, env: EntityRunEnv): Store {
  const store = job.store;
  switch (store.type) {
    case 'parquet':
      return parquetStores().createParquetStore(store, job, env.resources, env.project.options);
    case 'mssql':
      return mssqlStores().createMssqlStore(store, job, env.resources, env.project.options);
  }
}
