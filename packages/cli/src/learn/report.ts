import { escapeTerminal as t } from '@bulkhead/core';
import type { LearnResult } from './index.js';

/** Workload output for the terminal: its own lines kept, each escaped and indented. */
const block = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => `    ${t(l)}`)
    .join('\n');

/** Parses `--cmd`: a JSON array of strings, or words separated by spaces. */
export function parseCmd(text: string): string[] | undefined {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v;
    } catch {
      return undefined;
    }
    return undefined;
  }
  const words = t.split(/\s+/).filter(Boolean);
  return words.length ? words : undefined;
}

function wrap(names: readonly string[], width = 96, indent = '    '): string {
  const lines: string[] = [];
  let cur = '';
  for (const n of names) {
    if (cur && cur.length + n.length + 2 > width) {
      lines.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}, ${n}` : n;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => indent + l).join('\n');
}

function ended(e: { exitCode: number | null; timedOut: boolean; ms: number }): string {
  const t = `${(e.ms / 1000).toFixed(1)} s`;
  return e.timedOut ? `still running after ${t}, stopped` : `exited ${e.exitCode} after ${t}`;
}

/** The human-readable report of a learning. */
export function learnTable(r: LearnResult, outputFile: string | undefined): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`Learned seccomp profile for ${t(r.image)} (${s.architecture} only)`);
  out.push(`  learning run (gVisor, strace): ${ended(r.trace)}; ${r.trace.events} system calls traced`);
  if (r.trace.output && (r.trace.timedOut || r.trace.exitCode !== 0)) {
    out.push(`  last output:\n${block(r.trace.output)}`);
  }
  out.push(`  calls used by the workload: ${s.used.length}`);
  out.push(wrap(s.used));
  if (s.runcAdded.length) out.push(`  added for runc to start the process: ${s.runcAdded.join(', ')}`);
  if (r.merged.length) out.push(`  merged with: ${r.merged.map(t).join(', ')}`);
  out.push(
    `  allowed: ${s.allowed.length} of Docker default's ${s.dockerDefaultCount} (${s.reductionPercent}% fewer)`,
  );
  out.push(`  allowed by Docker's default, now denied: ${s.deniedFromDefault.length}`);
  out.push(wrap(s.deniedFromDefault));
  out.push(
    s.dangerousUsed.length
      ? `  DANGEROUS calls the workload used (allowed; review them): ${s.dangerousUsed.join(', ')}`
      : '  dangerous calls used: none',
  );
  if (r.trace.unrecognized.length) {
    out.push(
      `  gVisor names not mapped to Linux calls (left out): ${r.trace.unrecognized.map(t).join(', ')}`,
    );
  }
  if (r.verify) {
    const w = r.verify.workload;
    out.push(`  verify under runc with the profile: ${w.ok ? 'PASS' : 'FAIL'} (${ended(w)})`);
    if (!w.ok && w.output) out.push(block(w.output));
    const p = r.verify.probe;
    if (p) {
      out.push(
        `  probe outside the profile (${p.cmd.join(' ')} → ${p.calls.join('/')}): ${p.eperm ? 'PASS, refused with EPERM' : 'FAIL, not refused with EPERM'}`,
      );
      if (!p.eperm && p.output) out.push(block(p.output));
    } else out.push(`  probe outside the profile: skipped (${r.verify.probeSkipped})`);
  }
  out.push(outputFile ? `  profile written to ${t(outputFile)}` : '  profile written to standard output');
  out.push('  a profile is only as complete as the exercise: calls the run did not make are denied');
  return `${out.join('\n')}\n`;
}

/** The JSON report (no profile body: that is in the output file or on standard output). */
export function learnJson(r: LearnResult, outputFile: string | undefined): string {
  const { profile: _profile, ...rest } = r;
  return `${JSON.stringify({ ...rest, output: outputFile ?? null }, null, 2)}\n`;
}
