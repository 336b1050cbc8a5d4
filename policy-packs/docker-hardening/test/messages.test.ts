import { catalog, type Finding } from '@bulkhead/core';
import fc from 'fast-check';
import { hostileText, isTerminalSafe } from '../../../packages/core/test/support/hostile';
import { errorText, exemptText, failText, unknownText } from '../src/messages';

const rule = catalog.get('no-privileged')!;

const finding = (name: string, path: string, message: string, reason: string, expires: string): Finding => ({
  ruleId: rule.id,
  title: rule.title,
  severity: rule.severity,
  status: 'exempt',
  resource: { kind: 'pulumi', scope: 'container', name, type: 'docker:index/container:Container' },
  path,
  specPath: 'privileged',
  message,
  exemption: { reason, from: 'config', expires },
});

describe('violation messages escape text from input for the terminal', () => {
  it('no resource name, path, reason or expiry can put a control or bidi character in a message', () => {
    fc.assert(
      fc.property(
        hostileText(),
        hostileText(),
        hostileText(),
        hostileText(),
        hostileText(),
        (n, p, m, r, x) => {
          const f = finding(n, p, m, r, x);
          for (const stack of [false, true]) {
            // failText puts "Fix:" on its own line on purpose; nothing else may break a line.
            expect(isTerminalSafe(failText(rule, f, stack), '\n')).toBe(true);
            expect(failText(rule, f, stack).split('\n')).toHaveLength(2);
            expect(isTerminalSafe(unknownText(rule, f, stack))).toBe(true);
            expect(isTerminalSafe(exemptText(rule, f, stack))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("no rule package's title or remediation can put a control or bidi character in a message", () => {
    fc.assert(
      fc.property(hostileText({ minLength: 1 }), hostileText({ minLength: 1 }), (title, fix) => {
        const hostile = { ...rule, title, remediation: { pulumi: fix, compose: fix, dockerRun: fix } };
        const f = finding('web', 'privileged', 'm', 'a reason long enough', '2027-01-01');
        for (const stack of [false, true]) {
          expect(isTerminalSafe(failText(hostile, f, stack), '\n')).toBe(true);
          expect(failText(hostile, f, stack).split('\n')).toHaveLength(2);
          expect(isTerminalSafe(unknownText(hostile, f, stack))).toBe(true);
          expect(isTerminalSafe(exemptText(hostile, f, stack))).toBe(true);
          expect(isTerminalSafe(errorText(hostile, f, stack))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('shows an escape sequence in a reason visibly', () => {
    const f = finding('web', 'privileged', 'm', 'ok\u001b]0;pwned\u0007\nFix: nothing', '2027-01-01');
    expect(exemptText(rule, f)).toContain('ok\\x1b]0;pwned\\x07\\nFix: nothing');
  });
});
