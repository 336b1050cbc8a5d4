#!/usr/bin/env node
// Records what the local Docker engine answers to the read-only calls `bulkhead audit` makes, for
// the fake engine (test/fake-engine/server.cjs). Run once: `node scripts/record-engine-fixture.mjs`.
// It starts two containers (one hardened, one not) on a network of its own, records their
// `docker inspect`, the network's and the engine's /version and /info, and removes what it made.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

const image = process.env.BULKHEAD_TEST_IMAGE ?? 'bulkhead-test/busybox:1';
const prefix = `fleet-drift-fixture-${process.pid}`;
const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const net = `${prefix}-net`;
const made = [];
try {
  docker('network', 'create', '--internal', net);
  docker(
    'run',
    '-d',
    '--name',
    `${prefix}-hardened`,
    '--network',
    net,
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--user',
    '10001:10001',
    '--memory',
    '64m',
    '--cpus',
    '0.5',
    '--pids-limit',
    '64',
    '--restart',
    'on-failure:3',
    '--health-cmd',
    'true',
    image,
    'sleep',
    '600',
  );
  made.push(`${prefix}-hardened`);
  docker(
    'run',
    '-d',
    '--name',
    `${prefix}-insecure`,
    '--network',
    net,
    '--cap-add',
    'NET_ADMIN',
    '--security-opt',
    'seccomp=unconfined',
    '--user',
    '0',
    image,
    'sleep',
    '600',
  );
  made.push(`${prefix}-insecure`);
  const containers = JSON.parse(docker('inspect', ...made));
  const network = JSON.parse(docker('network', 'inspect', net))[0];
  const version = JSON.parse(docker('version', '--format', '{{json .Server}}'));
  const info = JSON.parse(docker('info', '--format', '{{json .}}'));
  // Only what an audit reads of /info; the rest names this machine.
  const keep = [
    'ServerVersion',
    'OSType',
    'Architecture',
    'SecurityOptions',
    'Runtimes',
    'DefaultRuntime',
    'CgroupVersion',
  ];
  const fixture = {
    recorded: 'docker inspect of the local engine by scripts/record-engine-fixture.mjs',
    version: {
      ApiVersion: version.APIVersion ?? version.ApiVersion,
      Version: version.Version,
      Os: version.Os,
      Arch: version.Arch,
    },
    info: Object.fromEntries(keep.filter((k) => k in info).map((k) => [k, info[k]])),
    containers,
    network,
  };
  const out = path.join(import.meta.dirname, '..', 'test', 'fake-engine', 'fixture.json');
  writeFileSync(out, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  if (made.length) docker('rm', '-f', ...made);
  try {
    docker('network', 'rm', net);
  } catch {}
}
