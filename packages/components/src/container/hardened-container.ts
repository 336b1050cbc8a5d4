import type { Finding, Report } from '@bulkhead/core';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { ComponentArgsError } from '../errors.js';
import type { ComponentException } from '../exceptions.js';
import type { HardenedContainerArgs } from './args.js';
import {
  CONTAINER_COMPONENT,
  type ComputedContainer,
  checkResolvedImage,
  computeContainerArgs,
} from './compute.js';

/** Pulumi type token of {@link HardenedContainer}. */
export const HARDENED_CONTAINER_TYPE = 'bulkhead:docker:HardenedContainer';

/**
 * One Docker container, hardened by default: a numeric non-root per-container uid, every
 * capability dropped, `no-new-privileges`, Bulkhead's default-deny seccomp profile inline,
 * AppArmor `docker-default`, a read-only root filesystem with size-limited `noexec` tmpfs for the
 * declared writable paths, memory/CPU/`nproc`/`nofile` limits, no host namespaces, only the
 * networks it is given (none at all by default), ports on `127.0.0.1`, bounded restarts and logs,
 * an init process, and an image pinned by digest.
 *
 * Weakening any of it takes an exception naming the core rule and a reason, recorded on the
 * container as a `dev.bulkhead.exempt.<rule>` label. Invalid or insecure arguments throw a
 * {@link ComponentArgsError} from the constructor, before any resource is registered.
 *
 * Gap: the Pulumi Docker provider cannot set `--pids-limit` (CIS 5.29). The process count is
 * bounded by the `nproc` ulimit instead, which Linux counts per uid, so each container gets its
 * own uid by default.
 *
 * @example
 * ```ts
 * const api = new HardenedContainer('api', {
 *   image: 'registry.example/api@sha256:…',
 *   networks: [backend],
 *   env: { PORT: '8080', DB_PASSWORD: dbPassword },
 * });
 * ```
 */
export class HardenedContainer extends pulumi.ComponentResource {
  /** The `docker.Container` this component created. */
  readonly container: docker.Container;
  /** The numeric uid the container runs as. */
  readonly uid: number;
  /** The numeric gid the container runs as. */
  readonly gid: number;
  /** The exceptions in force, as recorded on the container's labels. */
  readonly exceptions: readonly ComponentException[];
  /**
   * Core's findings for the arguments this component produced, under the `restricted` profile:
   * exempt ones (with their reasons) and unknown ones (values that are outputs); never failures.
   */
  readonly findings: readonly Finding[];
  /** The engine name of the container. */
  readonly containerName: pulumi.Output<string>;
  private readonly computed: ComputedContainer;

  constructor(name: string, args: HardenedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered: a bad argument must not leave half a stack behind.
    const computed = computeContainerArgs(name, args);
    super(HARDENED_CONTAINER_TYPE, name, {}, opts);
    this.computed = computed;
    this.uid = computed.uid;
    this.gid = computed.gid;
    this.exceptions = computed.exceptions;
    this.findings = computed.report.findings;

    const containerArgs: docker.ContainerArgs = { ...computed.containerArgs };
    if (pulumi.Output.isInstance(args.image) || args.image instanceof Promise) {
      // An image known only at deployment time is checked as soon as it resolves.
      containerArgs.image = pulumi.output(args.image).apply((image) => {
        const issues = checkResolvedImage(name, computed, image);
        if (issues.length > 0) throw new ComponentArgsError(CONTAINER_COMPONENT, name, issues);
        return image;
      });
    }
    if (computed.secretEnvKeys.length > 0 && containerArgs.envs !== undefined) {
      containerArgs.envs = pulumi.secret(containerArgs.envs);
    }
    this.container = new docker.Container(name, containerArgs, { parent: this });
    this.containerName = this.container.name;
    this.registerOutputs({ containerName: this.containerName });
  }

  /** The computed `docker.ContainerArgs` (plain data plus pass-through inputs), before secret wrapping. */
  get containerArgs(): docker.ContainerArgs {
    return this.computed.containerArgs;
  }

  /** Core's full report for the arguments this component produced (`restricted` profile). */
  hardeningReport(): Report {
    return this.computed.report;
  }
}
