// A deliberately insecure stack. Every container here is written with raw `@pulumi/docker`
// resources and the settings people copy from quick-start guides. Run
// `bulkhead validate examples/insecure-stack` to see what each setting costs and how to fix it;
// compare with ../web-db, which builds the same kind of stack with `@bulkhead/components`.
// Do not deploy this program.
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';

const config = new pulumi.Config();
const webPort = config.getNumber('webPort') ?? 80;

// A plain bridge network: not internal (every container can reach the internet), inter-container
// traffic allowed (any container can talk to any other).
const backend = new docker.Network('backend', { name: 'insecure-backend', driver: 'bridge' });

// The database: a floating tag, the password in plain environment, its port published on every
// host interface, no limits, and it runs as the image's default user.
const db = new docker.Container('db', {
  name: 'insecure-db',
  image: 'postgres:16',
  envs: ['POSTGRES_USER=app', 'POSTGRES_PASSWORD=changeme-insecure-demo'],
  ports: [{ internal: 5432, external: 5432 }],
  networksAdvanced: [{ name: backend.name }],
  restart: 'always',
});

// The web tier: `latest`, root, a privileged host port on 0.0.0.0, an API key in its environment,
// on the default bridge network, writable root filesystem, no capability drop, no health check.
const web = new docker.Container('web', {
  name: 'insecure-web',
  image: 'nginx:latest',
  user: 'root',
  ports: [{ internal: 80, external: webPort, ip: '0.0.0.0' }],
  envs: ['DATABASE_URL=postgres://app@insecure-db:5432/app', 'STRIPE_API_KEY=sk_live_insecure_demo_key'],
  restart: 'always',
});

// A "monitoring agent" with the keys to the host: the Docker socket, the host's network, PID and
// user namespaces, its root filesystem, extra kernel capabilities, seccomp and AppArmor off.
const agent = new docker.Container('agent', {
  name: 'insecure-agent',
  image: 'grafana/alloy',
  networkMode: 'host',
  pidMode: 'host',
  usernsMode: 'host',
  capabilities: { adds: ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE'] },
  securityOpts: ['seccomp=unconfined', 'apparmor=unconfined'],
  volumes: [
    { hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' },
    { hostPath: '/', containerPath: '/host', readOnly: true },
  ],
  restart: 'unless-stopped',
});

// A debugging sidecar someone forgot to remove: host IPC, a host device, every exposed port
// published, SELinux labelling disabled and /proc unmasked.
const debug = new docker.Container('debug', {
  name: 'insecure-debug',
  image: 'busybox',
  command: ['sleep', 'infinity'],
  ipcMode: 'host',
  publishAllPorts: true,
  devices: [{ hostPath: '/dev/kmsg' }],
  securityOpts: ['label=disable', 'systempaths=unconfined'],
  networksAdvanced: [{ name: backend.name }],
});

export const containers = [db.name, web.name, agent.name, debug.name];
export const network = backend.name;
