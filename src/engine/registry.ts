/**
 * Which home and store implementation serves a job. The engine knows the families only
 * through this switch; each family lives in its own module.
 */
import type { Home } from '../homes/home';
import { createMssqlHome } from '../homes/mssqlHome';
import { createParquetHome } from '../homes/parquetHome';
import type { EntityJob } from '../plan/job';
import { createMssqlStore } from '../stores/mssqlStore';
import { createParquetStore } from '../stores/parquetStore';
import type { Store } from '../stores/store';
import type { EntityRunEnv } from './runEnv';

export function createHome(job: EntityJob, env: EntityRunEnv): Home {
  const home = job.home;
  switch (home.type) {
    case 'parquet':
      return createParquetHome(home, job, env.resources, env.project.options);
    case 'mssql':
      return createMssqlHome(home, job, env.resources, env.project.options);
  }
}

export function createStore(job: EntityJob, env: EntityRunEnv): Store {
  const store = job.store;
  switch (store.type) {
    case 'parquet':
      return createParquetStore(store, job, env.resources, env.project.options);
    case 'mssql':
      return createMssqlStore(store, job, env.resources, env.project.options);
  }
}
