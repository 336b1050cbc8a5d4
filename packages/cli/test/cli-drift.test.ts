import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CONTAINER_TYPE,
  type DeployableResource,
  type Deployment,
  deployToEngine,
} from '@bulkhead/components/testkit';
import { bulkhead, expectOneLineError, tempDir } from './support/cli.js';
import { docker, engineAvailable, TEST_IMAGE } from './support/engine.js';

const hasEngine = engineAvailable();
const prefix = `fleet-drift-d${process.pid}`;

interface DriftFinding {
  ruleId: string;
  status: string;
  resource: { name: string; urn: string | null };
  path: string;
}

const container = (name: string, inputs: Record<string, unknown>): DeployableResource => ({
  type: CONTAINER_TYPE,
  name,
  urn: `urn:pulumi:prod::shop::${CONTAINER_TYPE}::${name}`,
  inputs: { image: TEST_IMAGE, command: ['sleep', '300'], ...inputs },
});

(hasEngine ? describe : describe.skip)(
  'bulkhead drift: a stack deployed with the test kit, then changed behind its back',
  () => {
    let tmp: { dir: string; cleanup: () => void };
    let d: Deployment;
    let exportFile: string;
    const declared = [
      container('web', { user: '10001', readOnly: true, capabilities: { drops: ['ALL'] }, memory: 64 }),
      container('worker', { user: '10001', capabilities: { drops: ['ALL'] }, memory: 32 }),
      container('gone', { user: '10001', capabilities: { drops: ['ALL'] }, memory: 32 }),
    ];
    beforeAll(async () => {
      tmp = tempDir();
      d = await deployToEngine(declared, { pull: false, prefix });
      // The stack export Pulumi would write: each container's id and its engine name as outputs.
      const resources = await Promise.all(
        declared.map(async (r) => {
          const info = await d.inspect(r.name);
          const outputs = { ...r.inputs, name: info.Name.replace(/^\//, ''), id: info.Id };
          return { urn: r.urn, custom: true, type: r.type, id: info.Id, inputs: r.inputs, outputs };
        }),
      );
      exportFile = path.join(tmp.dir, 'stack.json');
      writeFileSync(exportFile, JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }));
    }, 120_000);
    afterAll(async () => {
      await d?.teardown();
      docker(['rm', '-f', `${prefix}-worker`, `${prefix}-extra`]);
      tmp.cleanup();
    });

    it('finds nothing right after the deployment', async () => {
      const r = await bulkhead(['drift', exportFile, '--filter', `name=${prefix}`, '-f', 'json']);
      expect(JSON.parse(r.stdout).findings).toEqual([]);
      expect(r.code).toBe(0);
    });

    it('finds each change (docker update, a recreated container, a removed one, an extra one) and nothing else', async () => {
      const worker = (await d.inspect('worker')).Name.replace(/^\//, '');
      docker(['update', '--memory', '256m', '--memory-swap', '256m', `${prefix}-web`]);
      docker(['rm', '-f', worker]);
      docker([
        'run',
        '-d',
        '--name',
        worker,
        '--user',
        '10001',
        '--cap-drop',
        'ALL',
        '--cap-add',
        'NET_ADMIN',
        '--memory',
        '32m',
        TEST_IMAGE,
        'sleep',
        '300',
      ]);
      docker(['rm', '-f', `${prefix}-gone`]);
      docker(['run', '-d', '--name', `${prefix}-extra`, '--network', 'none', TEST_IMAGE, 'sleep', '300']);
      const r = await bulkhead(['drift', exportFile, '--filter', `name=${prefix}`, '-f', 'json']);
      expect(r.code).toBe(1);
      const found = (JSON.parse(r.stdout).findings as DriftFinding[])
        .map((f) => `${f.ruleId} ${f.resource.name} ${f.path}`)
        .sort();
      expect(found).toEqual(
        [
          `drift-setting-changed ${prefix}-web HostConfig.Memory`,
          `drift-container-replaced ${prefix}-worker Id`,
          `drift-setting-changed ${prefix}-worker HostConfig.CapAdd`,
          `drift-declared-missing gone `,
          `drift-undeclared-container ${prefix}-extra `,
        ].sort(),
      );
    });

    it('refuses a declaration without containers (exit 2)', async () => {
      const empty = path.join(tmp.dir, 'empty.json');
      writeFileSync(empty, JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }));
      const r = await bulkhead(['drift', empty]);
      expect(r.code).toBe(2);
      expectOneLineError(r, /declares no container to compare/);
    });
  },
);

(hasEngine ? describe : describe.skip)('bulkhead drift: a compose project started by docker-compose', () => {
  const project = `${prefix}c`;
  let tmp: { dir: string; cleanup: () => void };
  let file: string;
  beforeAll(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'compose.yaml');
    writeFileSync(
      file,
      `services:\n  api:\n    image: ${TEST_IMAGE}\n    command: [sleep, "300"]\n    network_mode: none\n` +
        `    user: "10001:10001"\n    cap_drop: [ALL]\n    read_only: true\n`,
    );
    const up = spawnSync('docker-compose', ['-p', project, '-f', file, 'up', '-d'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (up.status !== 0) throw new Error(`docker-compose up failed: ${up.stderr}`);
  }, 90_000);
  afterAll(() => {
    spawnSync('docker-compose', ['-p', project, '-f', file, 'down', '-t', '0'], { timeout: 60_000 });
    tmp.cleanup();
  });

  it('matches the service by its compose labels and finds a capability added by recreating it by hand', async () => {
    const args = [
      'drift',
      file,
      '--project-name',
      project,
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '-f',
      'json',
    ];
    const clean = await bulkhead(args);
    expect(JSON.parse(clean.stdout).findings).toEqual([]);
    expect(clean.code).toBe(0);
    const [id] = docker(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`]).split('\n');
    const name = docker(['inspect', '--format', '{{.Name}}', id!]).replace(/^\//, '');
    docker(['rm', '-f', name]);
    docker([
      'run',
      '-d',
      '--name',
      name,
      '--network',
      'none',
      '--user',
      '10001:10001',
      '--cap-drop',
      'ALL',
      '--cap-add',
      'SYS_PTRACE',
      '--read-only',
      '--label',
      `com.docker.compose.project=${project}`,
      '--label',
      'com.docker.compose.service=api',
      TEST_IMAGE,
      'sleep',
      '300',
    ]);
    const r = await bulkhead(args);
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout).findings as DriftFinding[]).map(
      (f) => `${f.ruleId} ${f.resource.name} ${f.path}`,
    );
    expect(found).toEqual([`drift-setting-changed ${name} HostConfig.CapAdd`]);
  });
});
