import * as path from 'node:path';
import {
  type ContainerSpec,
  compareContainer,
  countFinding,
  DRIFT_RULES,
  driftCatalog,
  emptySummary,
  type FindingResource,
  sourcePath,
} from '@bulkhead/core';
import type { CliFinding, CliReport, CliResource, InputInfo } from '../report/model.js';
import { toCliError } from './base.js';
import { EXIT, UserError } from './exit.js';
import { readInputText } from './files.js';
import { inspectTarget } from './fleet/connect.js';
import type { EngineTarget } from './fleet/targets.js';
import type { LoadedInput } from './report.js';

/** A declared container and what identifies it on an engine. */
export interface Declared {
  spec: ContainerSpec;
  /** Engine container id recorded by the deployment (stack export `id`). */
  id?: string;
  /** Engine container name (stack export `outputs.name`; else the resource name). */
  name: string;
  /** Compose project and service the container carries as labels. */
  compose?: { project: string; service: string };
}

const CONTAINER_TYPE = 'docker:index/container:Container';

/**
 * What identifies each declared container: for a stack export, the `id` and `outputs.name` Pulumi
 * recorded (read from the file again, by URN); for compose, the project and service labels Docker
 * Compose puts on what it creates; for a Pulumi program under mocks, the resource name.
 */
export async function declaredContainers(input: LoadedInput, projectName?: string): Promise<Declared[]> {
  const specs = input.resources.containers;
  if (input.kind === 'stack-export') {
    const doc = JSON.parse(await readInputText(input.path, 'stack export')) as {
      deployment?: {
        resources?: { urn?: string; type?: string; id?: unknown; outputs?: { name?: unknown } }[];
      };
    };
    const byUrn = new Map(
      (doc.deployment?.resources ?? []).filter((r) => r.type === CONTAINER_TYPE).map((r) => [r.urn, r]),
    );
    return specs.map((spec) => {
      const r = spec.source.urn ? byUrn.get(spec.source.urn) : undefined;
      const id = typeof r?.id === 'string' && r.id !== '' ? r.id : undefined;
      const name = typeof r?.outputs?.name === 'string' ? r.outputs.name : spec.source.name;
      return { spec, name, ...(id ? { id } : {}) };
    });
  }
  if (input.kind === 'compose') {
    const project = projectName ?? composeProjectName(input.path);
    return specs.map((spec) => ({
      spec,
      name: spec.source.name,
      compose: { project, service: spec.source.name },
    }));
  }
  return specs.map((spec) => ({ spec, name: spec.source.name }));
}

/** Docker Compose's default project name: the directory's name, lower case, [a-z0-9_-] only. */
function composeProjectName(file: string): string {
  const dir = path.basename(path.dirname(path.resolve(file)));
  return dir.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

/** A live container: its inspect's id and name, labels and spec. */
interface Live {
  id: string;
  name: string;
  labels: Record<string, string>;
  spec: ContainerSpec;
}

/** What reading one engine for drift gave. */
export interface EngineLive {
  target: EngineTarget;
  live?: Live[];
  error?: string;
}

/** Reads the containers of one engine (never throws: a failure is `error`). */
export async function readEngine(
  target: EngineTarget,
  options: { filters: Record<string, string[]>; all: boolean; timeoutMs: number },
): Promise<EngineLive> {
  try {
    const inspected = await inspectTarget(target, { ...options, concurrency: 4 });
    const { fromDockerInspect } = await import('@bulkhead/core');
    const live = (inspected.containers as { Id: string; Name?: string; Config?: { Labels?: unknown } }[]).map(
      (c) => {
        const spec = fromDockerInspect([c]).containers[0]!;
        const labels = (c.Config?.Labels ?? {}) as Record<string, string>;
        return { id: c.Id, name: (c.Name ?? '').replace(/^\//, ''), labels, spec };
      },
    );
    return { target, live };
  } catch (error) {
    return { target, error: toCliError(error).message };
  }
}

const resourceOf = (spec: ContainerSpec, input: number): CliResource => {
  const s = spec.source;
  const r: CliResource = { kind: s.kind, scope: 'container', name: s.name, type: s.type, input };
  if (s.urn) r.urn = s.urn;
  return r;
};

/**
 * Compares the declared containers with what the engines run. Per engine: a live container is
 * matched by the recorded id, then by name (another id there: replaced), or by compose project and
 * service labels; a matched one is compared setting by setting; a live one nothing matched is
 * undeclared. A declared container matched on no engine is missing, or undecided (unknown) when
 * an engine could not be read.
 */
export function driftReport(
  declaredInput: InputInfo,
  declared: readonly Declared[],
  engines: readonly EngineLive[],
  version: string,
): CliReport {
  const inputs: InputInfo[] = [
    declaredInput,
    ...engines.map((e) => ({ path: e.target.url, kind: 'inspect' as const })),
  ];
  const findings: CliFinding[] = [];
  const resources: CliResource[] = [];
  const add = (
    rule: (typeof DRIFT_RULES)[keyof typeof DRIFT_RULES],
    resource: FindingResource & { input: number },
    status: 'fail' | 'unknown',
    where: { path: string; specPath: string },
    message: string,
  ) => {
    const { input, ...r } = resource;
    findings.push({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      status,
      resource: r,
      ...where,
      message,
      input,
    });
  };
  const found = new Set<Declared>();
  engines.forEach((engine, e) => {
    const input = e + 1;
    if (!engine.live) return;
    const claimed = new Set<Live>();
    for (const d of declared) {
      const matches: { live: Live; replaced: boolean }[] = [];
      if (d.compose) {
        for (const l of engine.live) {
          if (
            l.labels['com.docker.compose.project'] === d.compose.project &&
            l.labels['com.docker.compose.service'] === d.compose.service
          )
            matches.push({ live: l, replaced: false });
        }
      } else {
        const byId = d.id ? engine.live.find((l) => l.id === d.id) : undefined;
        const byName = byId ?? engine.live.find((l) => l.name === d.name);
        if (byName) matches.push({ live: byName, replaced: d.id !== undefined && byName.id !== d.id });
      }
      for (const m of matches) {
        found.add(d);
        claimed.add(m.live);
        // Named as it runs, of the declaration's kind (its fix is the deployment tool's).
        const resource = {
          ...resourceOf(m.live.spec, input),
          kind: d.spec.source.kind,
          ...(d.spec.source.urn ? { urn: d.spec.source.urn } : {}),
        };
        resources.push(resource);
        if (m.replaced) {
          add(
            DRIFT_RULES.replaced,
            resource,
            'fail',
            { path: 'Id', specPath: 'id' },
            `has the declared name but not the id ${d.spec.source.kind === 'stack-export' ? 'the stack recorded' : 'declared'}: it was recreated outside the deployment`,
          );
        }
        for (const f of compareContainer(d.spec, m.live.spec)) {
          add(
            DRIFT_RULES.changed,
            resource,
            f.status,
            { path: sourcePath(m.live.spec, f.field), specPath: f.field },
            f.status === 'unknown'
              ? `cannot be compared: the declared ${sourcePath(d.spec, f.field)} is not known yet`
              : `differs from the declared ${sourcePath(d.spec, f.field)}`,
          );
        }
      }
    }
    for (const l of engine.live) {
      if (claimed.has(l)) continue;
      const resource = resourceOf(l.spec, input);
      resources.push(resource);
      add(
        DRIFT_RULES.undeclared,
        resource,
        'fail',
        { path: '', specPath: '' },
        'runs, but nothing declares it',
      );
    }
  });
  const someFailed = engines.some((e) => e.error !== undefined);
  for (const d of declared) {
    if (found.has(d)) continue;
    const resource = resourceOf(d.spec, 0);
    resources.push(resource);
    add(
      DRIFT_RULES.missing,
      resource,
      someFailed ? 'unknown' : 'fail',
      { path: '', specPath: '' },
      someFailed
        ? 'was found on no engine that could be read; an engine that could not be read may run it'
        : 'is declared but runs on no engine',
    );
  }
  const summary = emptySummary(driftCatalog.rules.length);
  summary.containers = engines.reduce((n, e) => n + (e.live?.length ?? 0), 0);
  for (const f of findings) countFinding(summary, f);
  return {
    tool: { name: 'bulkhead', version },
    profile: 'baseline',
    inputs,
    resources,
    findings,
    summary,
    exemptionProblems: [],
    rules: driftCatalog.rules.map((r) => r.id),
  };
}

/** The declared input must hold containers: drift of nothing is a mistake, not a pass. */
export function requireDeclared(declared: readonly Declared[], file: string): void {
  if (declared.length === 0) {
    throw new UserError(`${file}: declares no container to compare`, EXIT.usage, [
      'give a stack export, Pulumi project or compose file that declares containers',
    ]);
  }
}
