/**
 * The project `hygge init` writes: a Parquet → Parquet flow on the local disk that runs as
 * soon as it is created, with the settings a user will want to change written out and
 * commented, and one entity file showing a per-entity override.
 */
import { customersTable, ordersTable, parquetBytes } from './sampleData';

export const SAMPLE_ROWS = 1_000;

const HYGGE_YML = `# A hygge project. Run it with:  hygge go --project <this folder>
# Check it (config, connections, paths) with:  hygge debug --project <this folder>
name: sample

# Defaults for every flow. A home or store may set its own batch_size, compression,
# row_group_size and rows_per_file; these apply where it does not.
options:
  # entities running at once (each SQL connection's pool_size caps its entities further)
  concurrency: 2
  # rows per Arrow batch read from a home
  batch_size: 50000
  # Parquet compression: snappy | zstd | gzip | none
  compression: snappy
  # rows per Parquet row group, and the most rows in one Parquet file
  row_group_size: 122880
  rows_per_file: 1000000
  # where run journals and watermarks are kept: a folder of this project,
  # or { storage: <blob connection>, path: <prefix> }
  state: .hygge

# Named connections. Secrets never go here: they are read from environment variables.
# Values may use \${VAR} or \${VAR:-default}; --var VAR=value on the command line wins.
connections: {}
#  warehouse:
#    type: mssql
#    server: \${SQL_SERVER:-myserver.database.windows.net}
#    database: sales
#    auth: managed_identity      # or default | service_principal | sql
#    pool_size: 4                # also the most entities using this connection at once
#  lake:
#    type: blob
#    account_url: https://myaccount.blob.core.windows.net
#    container: raw
#    auth: managed_identity      # or default | connection_string

# Timer schedules for the Azure Functions host (six-field NCRONTAB).
schedules: []
#  - name: nightly
#    cron: "0 0 2 * * *"
#    flows: [sample]
`;

const FLOW_YML = `# A flow moves its entities from one home to one store. {entity} is replaced by each
# entity's name; a path without {entity} gets /<entity> appended.
home:
  type: parquet
  path: data/source/{entity}.parquet
store:
  type: parquet
  # each entity is written to data/lake/<entity>/part-*.parquet
  path: data/lake
run_type: full_drop
entities:
  - orders
  - customers
`;

const CUSTOMERS_YML = `# Per-entity overrides, merged over flow.yml (and its defaults:). Only what differs goes here.
store:
  compression: zstd
`;

/** Relative path → contents. Parquet sources are generated, so they are bytes. */
export function sampleProjectFiles(): Record<string, string | Uint8Array> {
  return {
    'hygge.yml': HYGGE_YML,
    'flows/sample/flow.yml': FLOW_YML,
    'flows/sample/entities/customers.yml': CUSTOMERS_YML,
    'data/source/orders.parquet': parquetBytes(ordersTable(SAMPLE_ROWS, SAMPLE_ROWS)),
    'data/source/customers.parquet': parquetBytes(customersTable(SAMPLE_ROWS)),
    '.gitignore': 'data/lake/\n.hygge/\n',
  };
}
