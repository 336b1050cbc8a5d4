// One reverse proxy is the stack's only ingress: it alone publishes a port (on 127.0.0.1) and it
// reaches the two app replicas through one internal network per link (`proxy->app-1:8080`,
// `proxy->app-2:8080`). The replicas cannot reach each other, the internet, or anything else.
import { SegmentedStack, type ServiceArgs } from '@bulkhead/components';
import * as pulumi from '@pulumi/pulumi';

/** Config defaults; the same values are the defaults in Pulumi.yaml (a test keeps them equal). */
export const defaults = {
  proxyImage: 'caddy:2-alpine@sha256:5f5c8640aae01df9654968d946d8f1a56c497f1dd5c5cda4cf95ab7c14d58648',
  appImage: 'ghcr.io/acme/api:3.1.0@sha256:f39c3e711ed5fb9a37f47ce38086310b7bedbefaa0af6f10356422f3a696f056',
  proxyPort: 8080,
};

const config = new pulumi.Config();
const proxyImage = config.get('proxyImage') ?? defaults.proxyImage;
const appImage = config.get('appImage') ?? defaults.appImage;
const proxyPort = config.getNumber('proxyPort') ?? defaults.proxyPort;

const replicas = ['app-1', 'app-2'];

const app = (replica: string): ServiceArgs => ({
  image: appImage,
  env: { PORT: '8080', INSTANCE: replica },
  healthcheck: { test: ['CMD', '/app/healthcheck'] },
});

const stack = new SegmentedStack('reverse-proxy', {
  services: {
    proxy: {
      image: proxyImage,
      // Caddy's own reverse-proxy mode: no config file to mount. It listens on 8080 (no
      // privileged port, so no NET_BIND_SERVICE) and keeps its state in tmpfs.
      command: [
        'caddy',
        'reverse-proxy',
        '--from',
        ':8080',
        ...replicas.flatMap((r) => ['--to', `${r}:8080`]),
        '--disable-redirects',
      ],
      env: { XDG_DATA_HOME: '/data', XDG_CONFIG_HOME: '/config' },
      writablePaths: { '/tmp': { size: '16m' }, '/data': { size: '16m' }, '/config': { size: '1m' } },
      healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:2019/config/'] },
    },
    ...Object.fromEntries(replicas.map((r) => [r, app(r)])),
  },
  links: replicas.map((r) => `proxy->${r}:8080`),
  ingress: { proxy: [{ internal: 8080, external: proxyPort }] },
});

export const url = `http://127.0.0.1:${proxyPort}`;
export const containers = Object.fromEntries(
  Object.entries(stack.containers).map(([k, c]) => [k, c.containerName]),
);
export const networks = Object.fromEntries(Object.entries(stack.networks).map(([key, n]) => [key, n.name]));
