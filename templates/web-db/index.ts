// A web app and its PostgreSQL database, built with Bulkhead's SegmentedStack:
// - every container is hardened by default (non-root uid, all capabilities dropped,
//   no-new-privileges, default-deny seccomp, read-only root with small tmpfs, limits);
// - the one link `web->db:5432` becomes one internal network with just those two containers on
//   it, so nothing else can reach the database and the database cannot reach the internet;
// - only the web is ingress, and it publishes its port on 127.0.0.1 only.
import { SegmentedStack } from '@bulkhead/components';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';

/** Config defaults; the same values are the defaults in Pulumi.yaml (a test keeps them equal). */
export const defaults = {
  webImage: 'ghcr.io/acme/web:1.4.2@sha256:72c0641ae22bdc18d06122a1e97e47bf39d85e23aae8f4fdff3e5e9f0c9649b0',
  dbImage: 'postgres:16-alpine@sha256:57c72fd2a128e416c7fcc499958864df5301e940bca0a56f58fddf30ffc07777',
  webPort: 8080,
};

const config = new pulumi.Config();
const webImage = config.get('webImage') ?? defaults.webImage;
const dbImage = config.get('dbImage') ?? defaults.dbImage;
const webPort = config.getNumber('webPort') ?? defaults.webPort;
// Set it once per stack: `pulumi config set --secret dbPassword "$(openssl rand -base64 32)"`.
// It stays a Pulumi secret: encrypted in state, never printed. Pulumi.yaml declares it without a
// default, so `pulumi up` refuses to run until it is set; offline checks (`bulkhead validate`,
// the tests) cannot decrypt stack secrets and run with a placeholder instead.
const dbPassword = config.getSecret('dbPassword') ?? pulumi.secret('offline-check-placeholder');

// The database files live in a named volume; the root filesystem stays read-only.
const dbData = new docker.Volume('db-data');

const stack = new SegmentedStack('web-db', {
  services: {
    web: {
      image: webImage,
      env: {
        PORT: '8080',
        DATABASE_HOST: 'db',
        DATABASE_PORT: '5432',
        DATABASE_USER: 'app',
        DATABASE_PASSWORD: dbPassword,
      },
      healthcheck: { test: ['CMD', '/app/healthcheck'] },
    },
    db: {
      image: dbImage,
      // The `postgres` user of the alpine image owns the data directory.
      user: '70:70',
      env: {
        POSTGRES_USER: 'app',
        POSTGRES_DB: 'app',
        POSTGRES_PASSWORD: dbPassword,
        PGDATA: '/var/lib/postgresql/data/pgdata',
      },
      volumes: [{ source: dbData.name, target: '/var/lib/postgresql/data' }],
      writablePaths: { '/tmp': { size: '16m' }, '/var/run/postgresql': { size: '1m' } },
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'app', '-d', 'app'] },
      memoryMb: 512,
      cpus: '1',
    },
  },
  links: ['web->db:5432'],
  ingress: { web: [{ internal: 8080, external: webPort }] },
});

export const url = `http://127.0.0.1:${webPort}`;
export const containers = {
  web: stack.containers.web!.containerName,
  db: stack.containers.db!.containerName,
};
export const networks = Object.fromEntries(Object.entries(stack.networks).map(([key, n]) => [key, n.name]));
