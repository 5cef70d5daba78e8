/**
 * Which ObjectStore serves a `storage:` setting: none means the local file system rooted at
 * the project folder; a name means that `blob` connection. Stores are cached per run (and
 * per thread) in RunResources, so every entity of a run shares one client per connection.
 */
import type { RunResources } from '../engine/runResources';
import { HyggeError } from '../errors';
import { LocalDirStore } from './localDirStore';
import type { ObjectStore } from './objectStore';

export function objectStoreFor(resources: RunResources, storage: string | undefined): ObjectStore {
  const project = resources.project;
  if (storage === undefined) {
    return resources.shared(`objectStore:local:${project.dir}`, () => new LocalDirStore(project.dir), () => {});
  }
  const connection = project.connections[storage];
  if (!connection || connection.type !== 'blob') {
    const blobNames = Object.entries(project.connections)
      .filter(([, c]) => c.type === 'blob')
      .map(([name]) => name);
    throw new HyggeError(
      'CONFIG_INVALID',
      connection ? `storage ${storage} is a ${connection.type} connection, not a blob connection` : `storage ${storage} is not a connection in hygge.yml`,
      {
        hint: blobNames.length
          ? `Use one of the blob connections (${blobNames.join(', ')}), or leave storage out for the local file system.`
          : `Add a connection "${storage}" with type: blob under connections: in hygge.yml, or leave storage out for the local file system.`,
        context: { connection: storage },
      },
    );
  }
  // the Azure SDK is loaded only when a Blob connection is used (~30 MB a thread otherwise)
  const { BlobStore } = require('./blobStore') as typeof import('./blobStore');
  const { createContainerClient } = require('./blobClient') as typeof import('./blobClient');
  return resources.shared(`objectStore:blob:${storage}`, () => new BlobStore(createContainerClient(storage, connection), storage), () => {});
}
