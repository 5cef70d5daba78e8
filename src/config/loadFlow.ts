/**
 * One flow folder → FlowConfig: `flow.yml` plus `entities/*.yml`, each entity merged
 * flow ← defaults ← inline ← entity file and validated as a whole home and store.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EntityConfig, FlowConfig } from './project';
import { EntityObjectSchema, FlowFileSchema, HomeSchema, StoreSchema, type ConnectionConfig } from './schema';
import type { VariableSources } from './expandVariables';
import { mergeLayers, isPlainObject, type Layer } from './mergeLayers';
import type { ProblemList } from './problems';
import { readConfigFile, validateFile, type ConfigFile } from './readConfigFile';
import { checkEndpointConnections } from './checkReferences';
import { issuesToProblems } from './zodIssues';

/**
 * flow.yml as written: home and store may be partial here, because entities and `defaults:`
 * complete them; the merged result is what must be a whole HomeSchema/StoreSchema.
 */
const FlowFileInputSchema = FlowFileSchema.extend({
  home: z.record(z.string(), z.unknown()),
  store: z.record(z.string(), z.unknown()),
});

type EntityObject = z.infer<typeof EntityObjectSchema>;
type RawObject = Record<string, unknown>;

interface EntityParts {
  name: string;
  inline?: { index: number; raw: RawObject; valid?: EntityObject };
  file?: { file: string; raw: RawObject; valid?: EntityObject };
}

export interface FlowContext {
  /** absolute project folder */
  root: string;
  sources: VariableSources;
  problems: ProblemList;
  /** validated connections of hygge.yml; undefined when hygge.yml itself is invalid */
  connections: Record<string, ConnectionConfig> | undefined;
}

const relative = (root: string, abs: string) => path.relative(root, abs).split(path.sep).join('/');

export async function loadFlow(flowDir: string, ctx: FlowContext): Promise<FlowConfig | undefined> {
  const { root, problems } = ctx;
  const flowName = path.basename(flowDir);
  const flowAbs = path.join(flowDir, 'flow.yml');
  const flowFile = relative(root, flowAbs);
  if (!existsSync(flowAbs)) {
    problems.add({
      file: relative(root, flowDir),
      keyPath: [],
      message: 'this flow folder has no flow.yml',
      code: 'CONFIG_INVALID',
      hint: 'Add a flow.yml with home: and store:, or move the folder out of the flows folder.',
    });
    return undefined;
  }

  const doc = await readConfigFile(flowAbs, flowFile, ctx.sources, problems);
  const flow = validateFile(FlowFileInputSchema, doc, problems);
  const raw = isPlainObject(doc.raw) ? doc.raw : {};
  if (typeof raw.name === 'string' && raw.name !== flowName) {
    problems.add({
      file: flowFile,
      keyPath: ['name'],
      message: `flow name "${raw.name}" does not match its folder "${flowName}"`,
      code: 'CONFIG_INVALID',
      hint: 'A flow is named by its folder: remove name: or rename the folder.',
    });
  }

  const parts = await collectEntities(flowDir, flowFile, raw, ctx);
  const defaults = isPlainObject(raw.defaults) ? raw.defaults : {};
  const entities: EntityConfig[] = [];
  for (const part of parts) {
    const entity = mergeEntity(part, { flowName, flowFile, raw, defaults, flow }, ctx);
    if (entity) entities.push(entity);
  }
  if (parts.length === 0) {
    // Nothing to merge into: still check the flow's own home and store.
    mergeEntity({ name: '' }, { flowName, flowFile, raw, defaults: {}, flow }, ctx);
  }
  return { name: flowName, enabled: flow?.enabled ?? true, file: flowFile, entities };
}

async function collectEntities(flowDir: string, flowFile: string, raw: RawObject, ctx: FlowContext): Promise<EntityParts[]> {
  const { problems } = ctx;
  const byName = new Map<string, EntityParts>();
  const inlineAt = new Map<string, number>();

  const inline = Array.isArray(raw.entities) ? raw.entities : [];
  inline.forEach((item: unknown, index) => {
    const itemRaw: RawObject = typeof item === 'string' ? { name: item } : isPlainObject(item) ? item : {};
    const name = itemRaw.name;
    if (typeof name !== 'string' || name === '') {
      if (isPlainObject(item)) problems.add({ file: flowFile, keyPath: ['entities', index], message: 'an entity listed here needs a name:', code: 'CONFIG_INVALID' });
      return; // other shapes are reported by the schema
    }
    const first = inlineAt.get(name);
    if (first !== undefined) {
      problems.add({ file: flowFile, keyPath: ['entities', index], message: `entity "${name}" is listed twice (first at entities[${first}])`, code: 'CONFIG_INVALID', hint: 'Each entity name may appear once in a flow; merge the two entries.' });
      return;
    }
    inlineAt.set(name, index);
    const valid = EntityObjectSchema.safeParse(itemRaw);
    byName.set(name, { name, inline: { index, raw: itemRaw, valid: valid.success ? valid.data : undefined } });
  });

  const entitiesDir = path.join(flowDir, 'entities');
  const files = existsSync(entitiesDir) ? (await readdir(entitiesDir)).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  const fileOf = new Map<string, string>();
  for (const fileName of files) {
    const abs = path.join(entitiesDir, fileName);
    const doc: ConfigFile = await readConfigFile(abs, relative(ctx.root, abs), ctx.sources, problems);
    const valid = validateFile(EntityObjectSchema, doc, problems);
    if (doc.raw === undefined) continue;
    const fileRaw = isPlainObject(doc.raw) ? doc.raw : {};
    const name = typeof fileRaw.name === 'string' && fileRaw.name !== '' ? fileRaw.name : fileName.replace(/\.ya?ml$/, '');
    const other = fileOf.get(name);
    if (other !== undefined) {
      problems.add({ file: doc.file, keyPath: fileRaw.name ? ['name'] : [], message: `entity "${name}" is also defined by ${other}`, code: 'CONFIG_INVALID', hint: 'Each entity may have one file; merge the two.' });
      continue;
    }
    fileOf.set(name, doc.file);
    const parts = byName.get(name) ?? { name };
    parts.file = { file: doc.file, raw: fileRaw, valid };
    byName.set(name, parts);
  }

  // Whether a name is usable as a path segment and SQL name is the plan's check (substitute.ts).
  return [...byName.values()];
}

interface FlowParts {
  flowName: string;
  flowFile: string;
  raw: RawObject;
  defaults: RawObject;
  /** the validated flow file, undefined when it has problems */
  flow: z.infer<typeof FlowFileInputSchema> | undefined;
}

/** Merges and validates one entity; undefined when anything about it is invalid (problems say why). */
function mergeEntity(parts: EntityParts, f: FlowParts, ctx: FlowContext): EntityConfig | undefined {
  const layersFor = (key: 'home' | 'store'): Layer[] => [
    { file: f.flowFile, keyPath: [key], value: objectOrUndefined(f.raw[key]) },
    { file: f.flowFile, keyPath: ['defaults', key], value: objectOrUndefined(f.defaults[key]) },
    ...(parts.inline ? [{ file: f.flowFile, keyPath: ['entities', parts.inline.index, key], value: objectOrUndefined(parts.inline.raw[key]) }] : []),
    ...(parts.file ? [{ file: parts.file.file, keyPath: [key], value: objectOrUndefined(parts.file.raw[key]) }] : []),
  ];
  // A flow home/store that is not a mapping is already reported by the flow file's schema.
  const home = isPlainObject(f.raw.home) ? validateMerged('home', HomeSchema, layersFor('home'), ctx) : undefined;
  const store = isPlainObject(f.raw.store) ? validateMerged('store', StoreSchema, layersFor('store'), ctx) : undefined;
  const settings = [f.flow?.defaults, parts.inline?.valid, parts.file?.valid];
  if (!home || !store || !f.flow || (parts.inline && !parts.inline.valid) || (parts.file && !parts.file.valid)) return undefined;
  const last = <K extends 'run_type' | 'watermark' | 'enabled'>(key: K) =>
    settings.reduce<EntityObject[K] | undefined>((acc, s) => (s?.[key] !== undefined ? s[key] : acc), undefined);

  return {
    flow: f.flowName,
    name: parts.name,
    home,
    store,
    run_type: last('run_type') ?? f.flow.run_type,
    watermark: last('watermark'),
    enabled: last('enabled') ?? f.flow.enabled,
    source_file: parts.file?.file ?? f.flowFile,
  };
}

function validateMerged<S extends typeof HomeSchema | typeof StoreSchema>(
  role: 'home' | 'store',
  schema: S,
  layers: Layer[],
  ctx: FlowContext,
): z.infer<S> | undefined {
  const merged = mergeLayers(layers);
  const result = schema.safeParse(merged.value);
  if (!result.success) {
    for (const p of issuesToProblems(result.error.issues, { schema, doc: merged.value, locate: merged.locate })) ctx.problems.add(p);
  }
  // References are checked even when other keys are wrong, so all problems show at once.
  if (ctx.connections) {
    for (const p of checkEndpointConnections(role, merged.value, merged.locate, ctx.connections)) ctx.problems.add(p);
  }
  return result.success ? (result.data as z.infer<S>) : undefined;
}

function objectOrUndefined(v: unknown): RawObject | undefined {
  return isPlainObject(v) ? v : undefined;
}
