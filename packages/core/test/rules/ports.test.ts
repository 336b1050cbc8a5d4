import { UNKNOWN } from '../../src/model/value.js';
import { container, expectFail, expectPass, expectUnknown } from './helpers.js';

describe('ports-bound-to-interface', () => {
  const id = 'ports-bound-to-interface';
  it('passes the compliant fixture and a loopback-bound port', () => {
    expectPass(id, container());
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }] }));
  });
  it('fails when a port has no host IP (all interfaces)', () =>
    void expectFail(id, container({ ports: [{ containerPort: 80, hostPort: 8080 }] }), 'ports[0].hostIp'));
  it.each(['0.0.0.0', '::', '[::]', ''])(
    'fails when the host IP is %j',
    (hostIp) =>
      void expectFail(
        id,
        container({
          ports: [
            { containerPort: 80, hostIp: '10.0.0.5' },
            { containerPort: 81, hostIp },
          ],
        }),
        'ports[1].hostIp',
      ),
  );
  it('fails when publishAllPorts is on', () =>
    void expectFail(id, container({ publishAllPorts: true }), 'publishAllPorts'));
  it('is unknown when the host IP or the list is unknown', () => {
    expectUnknown(id, container({ ports: [{ containerPort: 80, hostIp: UNKNOWN }] }), 'ports[0].hostIp');
    expectUnknown(id, container({ ports: UNKNOWN }), 'ports');
  });
});

describe('no-privileged-ports', () => {
  const id = 'no-privileged-ports';
  it('passes the compliant fixture, high host ports and random host ports', () => {
    expectPass(id, container());
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443 }] }));
  });
  it('fails when a host port is below 1024, without echoing it', () => {
    const [msg] = expectFail(
      id,
      container({ ports: [{ containerPort: 8080, hostPort: 443 }] }),
      'ports[0].hostPort',
    );
    expect(msg).not.toContain('443');
  });
  it('is unknown when the host port is unknown', () =>
    expectUnknown(id, container({ ports: [{ containerPort: 80, hostPort: UNKNOWN }] }), 'ports[0].hostPort'));
  it('passes host port 0 (a random port) and 1024, the first unprivileged port', () => {
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 0 }] }));
    expectPass(id, container({ ports: [{ containerPort: 80, hostPort: 1024 }] }));
  });
  it('fails host port 1023, the last privileged port', () =>
    void expectFail(id, container({ ports: [{ containerPort: 80, hostPort: 1023 }] }), 'ports[0].hostPort'));
  it('is unknown when the port list is not known yet, or for an entry that is no port', () => {
    expectUnknown(id, container({ ports: UNKNOWN }), 'ports');
    // Outside the model's types (hand-built or adversarial specs).
    expectUnknown(
      id,
      container({ ports: [{ containerPort: 80, hostPort: 8080 }, UNKNOWN as never] }),
      'ports[1]',
    );
  });
});

describe('ports-only-on-ingress', () => {
  const id = 'ports-only-on-ingress';
  const published = { ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' }] };
  it('passes the compliant fixture (publishes nothing)', () => expectPass(id, container()));
  it('passes a declared ingress that publishes ports', () =>
    expectPass(id, container({ ...published, ingress: true })));
  it('fails when a container that is not an ingress publishes ports', () => {
    expectFail(id, container(published), 'ports');
    expectFail(id, container({ publishAllPorts: true, ingress: false }), 'publishAllPorts');
  });
  it('is unknown when the ingress role or the ports are unknown', () => {
    expectUnknown(id, container({ ...published, ingress: UNKNOWN }), 'ingress');
    expectUnknown(id, container({ ports: UNKNOWN }), 'ports');
  });
});

describe('isolated-network', () => {
  const id = 'isolated-network';
  it('passes the compliant fixture (user-defined network)', () => expectPass(id, container()));
  it('passes network mode none and a user-defined network mode', () => {
    expectPass(id, container({ networks: undefined, networkMode: 'none' }));
    expectPass(id, container({ networks: undefined, networkMode: 'backend' }));
  });
  it('fails when no network is given (the default bridge)', () =>
    void expectFail(id, container({ networks: undefined }), 'networks'));
  it('fails when network mode is bridge or default without networks', () => {
    expectFail(id, container({ networks: [], networkMode: 'bridge' }), 'networkMode');
    expectFail(id, container({ networks: undefined, networkMode: 'default' }), 'networkMode');
  });
  it('fails when attached to the network named bridge', () =>
    void expectFail(
      id,
      container({ networks: [{ name: 'web-internal' }, { name: 'bridge' }] }),
      'networks[1]',
    ));
  it('is unknown when the network mode or the networks are unknown', () => {
    expectUnknown(id, container({ networkMode: UNKNOWN }), 'networkMode');
    expectUnknown(id, container({ networks: UNKNOWN }), 'networks');
    expectUnknown(id, container({ networks: [{ name: UNKNOWN }] }), 'networks[0]');
  });
});
