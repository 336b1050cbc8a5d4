/**
 * Input adapters: every input kind (Pulumi inputs, stack exports, previews, compose files,
 * `docker inspect` output) becomes the one normalized model the rules read.
 * @packageDocumentation
 */

export { nodeComposeFiles } from './compose/files.js';
export {
  COMPOSE_MAX_ALIAS_NODES,
  COMPOSE_MAX_BYTES,
  type ComposeLoadOptions,
  type ComposeOptions,
  fromCompose,
} from './compose.js';
export { type InputFileKind, parseInputFile } from './detect.js';
export { fromDockerInspect } from './inspect.js';
export {
  DIGEST_IMAGE_TYPES,
  fromPulumiContainerArgs,
  fromPulumiNetworkArgs,
  fromPulumiResources,
  fromPulumiServiceArgs,
  PULUMI_CONTAINER_FIELDS,
  PULUMI_TYPES,
  type PulumiResourceInput,
  typeFromUrn,
} from './pulumi.js';
export {
  SEALED,
  SECRET_SIG as PULUMI_SECRET_SIG,
  SealedSecret,
  SIG_KEY as PULUMI_SIG_KEY,
  UNKNOWN_SENTINEL as PULUMI_UNKNOWN,
  UNKNOWN_SENTINELS,
} from './read.js';
export { fromPreviewJson, fromStackExport } from './stack.js';
