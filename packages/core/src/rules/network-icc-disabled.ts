import { entry } from './support/lists.js';
import { fail, type NetworkRule, pass, unknown } from './types.js';

/** The bridge driver option that switches inter-container traffic on a network. */
export const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/** Segmentation: on a shared bridge, containers should reach only what they publish or link to. */
export const networkIccDisabled: NetworkRule = {
  id: 'network-icc-disabled',
  scope: 'network',
  title: 'Bridge networks must disable inter-container communication',
  severity: 'medium',
  level: 'restricted',
  rationale:
    'By default every container on a bridge network can open connections to every port of every other ' +
    'container on it, so one compromised container can probe and attack all its neighbours. With ICC off ' +
    'the bridge drops container-to-container traffic; give each pair that must talk its own network.',
  remediation: {
    pulumi: `Set \`options: { "${ICC_OPTION}": "false" }\` on the \`docker.Network\`.`,
    compose: `Set \`driver_opts: { ${ICC_OPTION}: "false" }\` on the network.`,
    dockerRun: `Create it with \`docker network create -o ${ICC_OPTION}=false <name>\`.`,
  },
  references: {
    nist: '4.3.3',
    docs: 'https://docs.docker.com/engine/network/drivers/bridge/#options',
  },
  example: { insecure: { options: undefined }, fails: 'options' },
  check(spec) {
    const d = spec.driver;
    if (d !== undefined && typeof d !== 'string') return unknown('driver');
    // The option belongs to the bridge driver; other drivers (overlay, macvlan…) do not read it.
    if (typeof d === 'string' && d.trim() !== '' && d.trim().toLowerCase() !== 'bridge') return pass();
    const icc = entry<string>(spec.options, ICC_OPTION);
    if (icc.state === 'unknown') return unknown('options');
    if (icc.state === 'absent')
      return fail('options', 'leaves inter-container communication on (the default)');
    return String(icc.value).trim().toLowerCase() === 'false'
      ? pass()
      : fail(`options[${JSON.stringify(ICC_OPTION)}]`, 'leaves inter-container communication on');
  },
};
