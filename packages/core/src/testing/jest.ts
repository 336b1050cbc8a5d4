/**
 * The rule test kit's Jest binding: the kit's checks laid out as tests. It uses Jest's global
 * `describe`/`it` when called, so importing the kit never needs Jest (Vitest with `globals: true`
 * provides the same functions).
 */
import type { ContainerSpec, NetworkSpec } from '../model/spec.js';
import type { ContainerRule, NetworkRule, StackRule } from '../rules/types.js';
import {
  type CheckResult,
  type RuleReport,
  type RuleTable,
  type StackTable,
  testRule,
  testStackRule,
} from './kit.js';

interface TestApi {
  (name: string, fn: () => void): void;
  skip(name: string, fn: () => void): void;
}
interface Globals {
  describe: (name: string, fn: () => void) => void;
  it: TestApi;
}

function globals(): Globals {
  const g = globalThis as unknown as Partial<Globals>;
  if (typeof g.describe !== 'function' || typeof g.it !== 'function')
    throw new Error(
      'describeRule needs a test runner with global describe/it (Jest); use testRule otherwise',
    );
  return g as Globals;
}

/** Lays a report out: one test per case and check; declared skips show as skipped with their reason. */
function layOut(report: RuleReport): void {
  const { describe, it } = globals();
  describe(report.rule, () => {
    const byCase = new Map<string, CheckResult[]>();
    for (const r of report.results) byCase.set(r.case, [...(byCase.get(r.case) ?? []), r]);
    for (const [name, results] of byCase) {
      describe(name === 'compliant' ? 'passes the compliant case' : name, () => {
        for (const r of results) {
          const title = CHECK_TITLES[r.check];
          if (r.status === 'skipped') it.skip(`${title} (skipped: ${r.detail})`, () => {});
          else
            it(title, () => {
              if (r.status === 'failed')
                throw new Error(`${report.rule} › ${name} › ${r.check}: ${r.detail}`);
            });
        }
      });
    }
  });
}

const CHECK_TITLES: Record<CheckResult['check'], string> = {
  model: 'gives the expected outcome in the normalized model',
  secrets: 'echoes no secret and no touched input value',
  unknowns: 'never fails when the touched fields are unknown',
  compose: 'reads the same written as a compose file',
  pulumi: 'reads the same written as Pulumi ContainerArgs',
  inspect: 'reads the same written as docker inspect output',
};

/** Jest: tests one container or network rule with the kit (see {@link testRule}). */
export function describeRule<S extends ContainerSpec | NetworkSpec>(
  rule: ContainerRule | NetworkRule,
  table: RuleTable<S>,
): RuleReport {
  const report = testRule(rule, table);
  layOut(report);
  return report;
}

/** Jest: tests one stack rule with the kit (see {@link testStackRule}). */
export function describeStackRule(rule: StackRule, table: StackTable): RuleReport {
  const report = testStackRule(rule, table);
  layOut(report);
  return report;
}
