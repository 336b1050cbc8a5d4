import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import * as path from 'node:path';
import { mergeSeccompProfiles, type SeccompProfile, validateSeccompProfile } from '@bulkhead/core';
import type Dockerode from 'dockerode';
import { EXIT, UserError } from '../lib/exit.js';
import { readInputBytes, readInputText } from '../lib/files.js';
import { EXERCISE_PATH, exportRootfs, ociSpec, processArgs, readImageConfig, resolveUser } from './bundle.js';
import { type LearnedSummary, learnedComment, learnedProfile, seccompArch, summarize } from './profile.js';
import { checkRunsc, type TraceResult, traceBundle } from './trace.js';
import { pickProbe, runUnderProfile, type VerifyResult } from './verify.js';

export {
  DANGEROUS_SYSCALLS,
  type LearnedSummary,
  learnedProfile,
  RUNC_MINIMUM,
  summarize,
} from './profile.js';
export { parseStrace, type TracedCalls } from './strace.js';
export { checkRunsc, runscPath } from './trace.js';
export { PROBES, pickProbe, type VerifyResult } from './verify.js';

/** Options of {@link learnSeccomp}. */
export interface LearnOptions {
  docker: Dockerode;
  image: string;
  /** Replaces the image's Cmd (Entrypoint kept). */
  cmd?: string[];
  /** A script that starts the service and exercises it; run with `/bin/sh`. */
  exercisePath?: string;
  durationMs: number;
  runsc: string;
  verify: boolean;
  /** Profiles to merge the learned one into (same architecture). */
  merge?: { file: string; profile: SeccompProfile }[];
  /** `uname -m`; defaults to this machine's. */
  machine?: string;
}

/** Everything a learning produced. */
export interface LearnResult {
  image: string;
  profile: SeccompProfile;
  summary: LearnedSummary;
  trace: Omit<TraceResult, 'calls'> & { events: number; unrecognized: string[] };
  /** Files whose profiles were merged in. */
  merged: string[];
  verify?: VerifyResult;
}

/** Reads and validates a profile file (for `--merge`); bad input exits 2 naming the path. */
export async function readProfileFile(file: string): Promise<SeccompProfile> {
  const text = await readInputText(file, 'seccomp profile');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`seccomp profile ${file} is not JSON`, EXIT.usage);
  }
  const r = validateSeccompProfile(data);
  if (!r.ok) {
    const shown = r.errors.slice(0, 3).map((e) => `${e.path || '(root)'}: ${e.message}`);
    const more = r.errors.length > 3 ? `; and ${r.errors.length - 3} more` : '';
    throw new UserError(`seccomp profile ${file} is invalid: ${shown.join('; ')}${more}`, EXIT.usage, [
      `bulkhead seccomp validate ${file} lists every error`,
    ]);
  }
  return r.profile;
}

/** Merges learned profiles (a union) and re-labels the allow entry with the architecture. */
export function mergeLearned(profiles: readonly SeccompProfile[], source: string): SeccompProfile {
  let out = profiles[0];
  if (!out) throw new UserError('nothing to merge', EXIT.usage);
  for (const p of profiles.slice(1)) out = mergeSeccompProfiles(out, p);
  const arch = out.architectures?.[0] ?? out.archMap?.[0]?.architecture;
  if (!arch || (out.architectures?.length ?? 0) + (out.archMap?.length ?? 0) !== 1) return out;
  return {
    ...out,
    syscalls: (out.syscalls ?? []).map((s, i) =>
      i === 0 && s.action === 'SCMP_ACT_ALLOW' ? { ...s, comment: learnedComment(arch, source) } : s,
    ),
  };
}

/**
 * Learns a least-privilege seccomp profile: exports the image into an OCI bundle, runs the
 * workload (or the exercise script) once in gVisor with strace, and builds a default-deny profile
 * of the calls made plus runc's minimum. With `verify`, runs the same workload under runc with the
 * profile and a probe outside it.
 */
export async function learnSeccomp(o: LearnOptions): Promise<LearnResult> {
  const exercise = o.exercisePath ? await readExercise(o.exercisePath) : undefined;
  await checkRunsc(o.runsc);
  const arch = seccompArch(o.machine ?? machine());
  const image = await readImageConfig(o.docker, o.image);
  const work = await fs.mkdtemp(path.join(tmpdir(), 'bulkhead-learn-'));
  try {
    const bundle = path.join(work, 'bundle');
    const rootfs = path.join(bundle, 'rootfs');
    await exportRootfs(o.docker, o.image, rootfs);
    const user = await resolveUser(rootfs, image.user);
    if (exercise) await fs.writeFile(path.join(rootfs, EXERCISE_PATH.slice(1)), exercise, { mode: 0o755 });
    const args = processArgs(image, o.cmd, exercise !== undefined);
    const spec = ociSpec({ args, env: image.env, cwd: image.workingDir, user, hostname: 'learn' });
    await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
    const id = `bulkhead-learn-${randomBytes(4).toString('hex')}`;
    const trace = await traceBundle({ runsc: o.runsc, bundle, workDir: work, id, durationMs: o.durationMs });
    const source = `image ${o.image}`;
    let profile = learnedProfile(trace.calls.syscalls, arch, source);
    const merged = (o.merge ?? []).map((m) => m.file);
    if (o.merge?.length) profile = mergeLearned([profile, ...o.merge.map((m) => m.profile)], source);
    const summary = summarize(profile, trace.calls.syscalls);
    const result: LearnResult = {
      image: o.image,
      profile,
      summary,
      trace: {
        exitCode: trace.exitCode,
        timedOut: trace.timedOut,
        ms: trace.ms,
        output: trace.output,
        events: trace.calls.events,
        unrecognized: trace.calls.unrecognized,
      },
      merged,
    };
    if (o.verify) {
      const base = {
        image: o.image,
        env: image.env,
        cwd: image.workingDir,
        user,
        profile,
        durationMs: o.durationMs,
      };
      const tag = randomBytes(4).toString('hex');
      const workload = await runUnderProfile(o.docker, {
        ...base,
        name: `bulkhead-verify-${tag}`,
        ...(exercise
          ? { cmd: args, entrypoint: [], exercise }
          : { cmd: o.cmd ?? image.cmd, entrypoint: image.entrypoint }),
      });
      const verify: VerifyResult = {
        workload: { ...workload, ok: workload.timedOut || workload.exitCode === 0 },
      };
      const probe = pickProbe(profile);
      if (probe) {
        const p = await runUnderProfile(o.docker, {
          ...base,
          durationMs: Math.min(o.durationMs, 15_000),
          name: `bulkhead-probe-${tag}`,
          cmd: probe.cmd,
          entrypoint: [],
        });
        verify.probe = {
          ...p,
          cmd: probe.cmd,
          calls: probe.calls,
          eperm: p.exitCode !== 0 && /Operation not permitted/.test(p.output),
        };
      } else verify.probeSkipped = 'the profile allows every call the built-in probes make';
      result.verify = verify;
    }
    return result;
  } finally {
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Largest `--exercise` script (1 MiB): a script that starts and exercises a service. */
const MAX_EXERCISE_BYTES = 1024 * 1024;

async function readExercise(file: string): Promise<Buffer> {
  return readInputBytes(file, { what: 'exercise script', maxBytes: MAX_EXERCISE_BYTES });
}
