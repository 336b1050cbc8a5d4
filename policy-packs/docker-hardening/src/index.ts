/**
 * Bulkhead's Docker hardening policy pack: every rule of `@bulkhead/core`'s catalog as a Pulumi
 * policy over `@pulumi/docker` containers, services and networks.
 *
 * Loaded by `pulumi preview --policy-pack <dir>` (through `run-policy-pack`), which requires
 * `main` and serves the policies over gRPC. Import only what start-up needs: every millisecond
 * here is paid on every preview.
 * @packageDocumentation
 */
import * as path from 'node:path';
import { catalog } from '@bulkhead/core';
import { PolicyPack } from '@pulumi/policy';
import { buildPolicies, createState, type PackState } from './policies.js';
import { SETTINGS_POLICY } from './settings.js';

/** The pack's name as the engine shows it. */
export const PACK_NAME = 'bulkhead-docker-hardening';

/**
 * Loads the settings from the Configure request itself, as soon as it arrives.
 *
 * `@pulumi/policy` hands each policy only its own config, and the engine calls Remediate for a
 * resource before Analyze, so the settings policy's own `getConfig()` may come too late for the
 * first remediation. Wrapping the analyzer service's `configure` handler (the SDK registers it
 * with grpc-js's public `Server.addService`) sees the whole request first. If the wrapping cannot
 * be installed, the settings policy's `getConfig()` still loads the settings on each analysis.
 */
function captureConfigure(state: PackState): void {
  type Handler = (call: { request: ConfigureRequest }, callback: unknown) => unknown;
  interface ConfigureRequest {
    getPolicyconfigMap(): {
      get(k: string): { getProperties(): { toJavaScript(): unknown } | undefined } | undefined;
    };
  }
  let grpc: { Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } } };
  try {
    const sdk = path.dirname(require.resolve('@pulumi/policy'));
    grpc = require(require.resolve('@grpc/grpc-js', { paths: [sdk] }));
  } catch {
    return;
  }
  const proto = grpc.Server.prototype;
  const addService = proto.addService;
  proto.addService = function (this: unknown, service, impl) {
    proto.addService = addService;
    const configure = impl.configure as Handler | undefined;
    if (typeof configure === 'function' && typeof impl.analyze === 'function') {
      impl = {
        ...impl,
        configure(this: unknown, call: { request: ConfigureRequest }, callback: unknown) {
          try {
            const entry = call.request.getPolicyconfigMap().get(SETTINGS_POLICY);
            state.settings.load(entry?.getProperties()?.toJavaScript() ?? {});
          } catch {
            // The settings policy reads its config again on every analysis.
          }
          return configure.call(this, call, callback);
        },
      };
    }
    return addService.call(this, service, impl);
  };
}

const state = createState(catalog);
captureConfigure(state);

new PolicyPack(PACK_NAME, {
  displayName: 'Bulkhead Docker hardening',
  description:
    "Bulkhead's Docker hardening catalog (CIS Docker Benchmark, Pod Security Standards) over @pulumi/docker " +
    'containers, swarm services and networks.',
  provider: 'docker',
  tags: ['docker', 'security', 'cis'],
  policies: buildPolicies(state),
});
