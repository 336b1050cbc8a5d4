import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';
import { EXIT, type ExitCode, UserError } from './exit.js';
import { PACKAGE_ROOT } from './package-root.js';
import { isPulumiProject } from './pulumi-project.js';

/** The first executable named `name` on PATH, if any. */
export function which(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The published name of the docker-hardening policy pack. */
const POLICY_PACK_PACKAGE = '@bulkhead/policy-docker-hardening';

/** The directory of `pkg` as Node would resolve it from `from`, if it is installed there. */
function installedPackageDir(pkg: string, from: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`, { paths: [from] }));
  } catch {
    return undefined;
  }
}

/**
 * Where the docker-hardening policy pack is, first found of: `BULKHEAD_POLICY_PACK`;
 * `@bulkhead/policy-docker-hardening` installed in the Pulumi project (or above it); installed
 * beside this CLI (`npm install -g @bulkhead/cli @bulkhead/policy-docker-hardening`);
 * `policy-packs/docker-hardening` under the working directory or beside this CLI's package in the
 * Bulkhead repository. An installed candidate counts only with its PulumiPolicy.yaml.
 */
function locatePolicyPack(project = '.'): string | undefined {
  const explicit = process.env.BULKHEAD_POLICY_PACK;
  if (explicit) return path.resolve(explicit);
  const candidates = [
    installedPackageDir(POLICY_PACK_PACKAGE, path.resolve(project)),
    installedPackageDir(POLICY_PACK_PACKAGE, PACKAGE_ROOT),
    path.resolve('policy-packs/docker-hardening'),
    path.resolve(PACKAGE_ROOT, '../../policy-packs/docker-hardening'),
  ].filter((c): c is string => typeof c === 'string' && c !== '');
  return candidates.find((c) => existsSync(path.join(c, 'PulumiPolicy.yaml')));
}

/**
 * `validate --preview`: runs `pulumi preview --policy-pack <pack>` in the project, streaming its
 * output. Exit 0 when the preview passes, 1 when it reports violations or fails, 3 when no Pulumi
 * CLI is installed or the pack cannot be found.
 */
export async function runPulumiPreview(project: string, stack: string | undefined): Promise<ExitCode> {
  if (!isPulumiProject(project)) {
    throw new UserError(
      `--preview needs a Pulumi project directory; ${project} has no Pulumi.yaml`,
      EXIT.usage,
    );
  }
  const pulumi = which('pulumi');
  if (!pulumi) {
    throw new UserError('--preview needs the Pulumi CLI, and no `pulumi` is on PATH', EXIT.environment, [
      'install it (https://www.pulumi.com/docs/install/), or drop --preview to validate under mocks',
    ]);
  }
  const pack = locatePolicyPack(project);
  if (!pack) {
    throw new UserError('--preview cannot find the docker-hardening policy pack', EXIT.environment, [
      `install it in the project (npm install --save-dev ${POLICY_PACK_PACKAGE}) or set BULKHEAD_POLICY_PACK to the pack's directory`,
    ]);
  }
  const args = ['preview', '--policy-pack', pack, ...(stack ? ['--stack', stack] : [])];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(pulumi, args, { cwd: project, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  return code === 0 ? EXIT.ok : EXIT.findings;
}
