import type { Finding, Report } from '@bulkhead/core';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import type { ComponentException } from '../exceptions.js';
import { type ComputedNetwork, computeNetworkArgs, type HardenedNetworkArgs } from './compute.js';

/** Pulumi type token of {@link HardenedNetwork}. */
export const HARDENED_NETWORK_TYPE = 'bulkhead:docker:HardenedNetwork';

/**
 * A user-defined bridge network, hardened by default: `internal: true` (no route off the host)
 * and inter-container communication off. `egress: { reason }` and `icc: { reason }` switch those
 * on, recording the reason as the exemption label of the core rule concerned.
 *
 * Pass it to `HardenedContainer`'s `networks` to attach a container.
 *
 * @example
 * ```ts
 * const outbound = new HardenedNetwork('outbound', { egress: { reason: 'calls the payment API' } });
 * ```
 */
export class HardenedNetwork extends pulumi.ComponentResource {
  /** The `docker.Network` this component created. */
  readonly network: docker.Network;
  /** The network's engine name; pass the component (or this) to a container's `networks`. */
  readonly name: pulumi.Output<string>;
  /** The exceptions in force, as recorded on the network's labels. */
  readonly exceptions: readonly ComponentException[];
  /** Core's findings for this network (`restricted`): exempt or unknown, never failures. */
  readonly findings: readonly Finding[];
  private readonly computed: ComputedNetwork;

  constructor(name: string, args: HardenedNetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const computed = computeNetworkArgs(name, args);
    super(HARDENED_NETWORK_TYPE, name, {}, opts);
    this.computed = computed;
    this.exceptions = computed.exceptions;
    this.findings = computed.report.findings;
    this.network = new docker.Network(name, computed.networkArgs, { parent: this });
    this.name = this.network.name;
    this.registerOutputs({ network: this.network, name: this.name });
  }

  /** Core's full report for the arguments this component produced. */
  hardeningReport(): Report {
    return this.computed.report;
  }

  /** The computed `docker.NetworkArgs` (plain data). */
  get networkArgs(): docker.NetworkArgs {
    return this.computed.networkArgs;
  }
}
