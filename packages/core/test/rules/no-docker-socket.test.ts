import { UNKNOWN } from '../../src/model/value.js';
import { noDockerSocket } from '../../src/rules/no-docker-socket.js';
import { describeRule } from '../../src/testing/jest.js';
import { exampleMutation } from '../../src/testing/kit.js';
import { bind, container, expectFail, expectPass, expectUnknown } from './helpers.js';

describeRule(noDockerSocket, {
  mutations: [
    exampleMutation(noDockerSocket),
    {
      name: 'fails /run/docker.sock as well',
      set: { mounts: [{ type: 'bind', source: '/run/docker.sock', target: '/docker.sock', readOnly: true }] },
      fails: 'mounts[0].source',
    },
    { name: 'passes a named volume', set: { mounts: [{ type: 'volume', source: 'data', target: '/data' }] } },
  ],
});

describe('no-docker-socket', () => {
  const id = 'no-docker-socket';
  it('passes the compliant fixture and an application bind', () => {
    expectPass(id, container());
    expectPass(id, container({ mounts: [bind('/srv/app/data')] }));
  });
  it.each([
    '/var/run/docker.sock',
    '/run/docker.sock',
    '//var/run/../run/docker.sock',
    '/run/containerd/containerd.sock',
    '/var/run',
    '/run/user/1000/podman/podman.sock',
  ])('fails when a bind mounts %s, without echoing the path', (source) => {
    const [msg] = expectFail(id, container({ mounts: [bind(source)] }), 'mounts[0].source');
    expect(msg).toBe("mounts the container engine's API socket");
  });
  it("fails for Docker Desktop's Windows named pipe, in any case", () => {
    for (const source of ['\\\\.\\pipe\\docker_engine', '\\\\?\\PIPE\\Docker_Engine']) {
      expectFail(id, container({ mounts: [bind(source, { type: 'npipe' })] }), 'mounts[0].source');
    }
    expectPass(id, container({ mounts: [bind('\\\\.\\pipe\\other_engine', { type: 'npipe' })] }));
  });
  it('fails for a read-only socket mount too', () =>
    void expectFail(
      id,
      container({ mounts: [bind('/var/run/docker.sock', { readOnly: true })] }),
      'mounts[0].source',
    ));
  it('treats an absolute source with an unknown type as a bind', () =>
    void expectFail(
      id,
      container({ mounts: [bind('/var/run/docker.sock', { type: UNKNOWN })] }),
      'mounts[0].source',
    ));
  it('ignores a named volume called like a socket', () =>
    expectPass(id, container({ mounts: [{ type: 'volume', source: 'docker.sock', target: '/x' }] })));
  it('is unknown when mounts or a source are unknown', () => {
    expectUnknown(id, container({ mounts: UNKNOWN }), 'mounts');
    expectUnknown(id, container({ mounts: [bind('/srv'), bind('x', { source: UNKNOWN })] }), 'mounts[1]');
  });
});
