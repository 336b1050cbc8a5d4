// A queue worker that runs untrusted or complex job payloads, so it gets a second isolation
// boundary: gVisor (`runsc`) intercepts its system calls in a user-space kernel. The worker and its
// Redis queue are the only two containers on one internal network (the link `worker->queue:6379`);
// neither can reach the internet, nothing else can reach the queue, and nothing is published.
//
// The Docker host needs the runsc runtime registered (`/etc/docker/daemon.json` "runtimes").
import { SegmentedStack } from '@bulkhead/components';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';

/** Config defaults; the same values are the defaults in Pulumi.yaml (a test keeps them equal). */
export const defaults = {
  workerImage:
    'ghcr.io/acme/worker:2.3.0@sha256:7051973b4876171f6c07bac8f1b4feec285905caaa72ffbab20cfd6d235c693e',
  queueImage: 'redis:7-alpine@sha256:858f009f9709ce576febc734aa78b8f6d624b82571f9ddb6bda4377c833b3499',
  workerMemoryMb: 512,
};

const config = new pulumi.Config();
const workerImage = config.get('workerImage') ?? defaults.workerImage;
const queueImage = config.get('queueImage') ?? defaults.queueImage;
const workerMemoryMb = config.getNumber('workerMemoryMb') ?? defaults.workerMemoryMb;

// The queue keeps its append-only file in a named volume; the root filesystem stays read-only.
const queueData = new docker.Volume('queue-data');

const stack = new SegmentedStack('gvisor-worker', {
  services: {
    worker: {
      image: workerImage,
      sandbox: 'gvisor',
      env: { QUEUE_URL: 'redis://queue:6379/0', WORKER_CONCURRENCY: '4' },
      memoryMb: workerMemoryMb,
      cpus: '1',
      healthcheck: { test: ['CMD', '/app/worker', 'healthcheck'] },
    },
    queue: {
      image: queueImage,
      // The `redis` user and group of the alpine image.
      user: '999:1000',
      command: ['redis-server', '--appendonly', 'yes', '--protected-mode', 'no'],
      volumes: [{ source: queueData.name, target: '/data' }],
      healthcheck: { test: ['CMD', 'redis-cli', 'ping'] },
      memoryMb: 256,
    },
  },
  links: ['worker->queue:6379'],
});

export const containers = {
  worker: stack.containers.worker!.containerName,
  queue: stack.containers.queue!.containerName,
};
export const networks = Object.fromEntries(Object.entries(stack.networks).map(([key, n]) => [key, n.name]));
