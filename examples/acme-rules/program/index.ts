// Acme's shop as a Pulumi program: the web container follows Acme's rules, the reports job does
// not (an image from Docker Hub, no owner label) and shares the web's network.
//   pulumi preview --policy-pack ../policy
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';

const shop = new docker.Network('shop', { name: 'shop', internal: true });

export const web = new docker.Container('web', {
  image: 'registry.acme.example/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  labels: [{ label: 'com.acme.owner', value: 'storefront' }],
  networksAdvanced: [{ name: shop.name }],
});

// The image reference is a secret: the pack must judge it without ever showing it.
export const reports = new docker.Container('reports', {
  image: pulumi.secret('docker.io/library/canary-s3cr3t:1'),
  networksAdvanced: [{ name: shop.name }],
});
