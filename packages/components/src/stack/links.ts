import type { ArgIssue } from '../errors.js';

/** A parsed link: `from` may open connections to `to` (on `port`, when given). */
export interface Link {
  from: string;
  to: string;
  port?: number;
  /** The link as written, normalized: `from->to[:port]`. */
  text: string;
}

const LINK = /^\s*([A-Za-z0-9_.-]+)\s*->\s*([A-Za-z0-9_.-]+)\s*(?::\s*(\d+))?\s*$/;

/**
 * Parses `from->to[:port]` link strings against the known service names. Returns the links and
 * one issue per bad entry (syntax, unknown service, self link, duplicate, bad port).
 */
export function parseLinks(
  links: readonly unknown[],
  services: readonly string[],
  path = 'args.links',
): { links: Link[]; issues: ArgIssue[] } {
  const known = new Set(services);
  const list = [...services].sort().join(', ');
  const out: Link[] = [];
  const issues: ArgIssue[] = [];
  const seen = new Set<string>();
  links.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const m = typeof raw === 'string' ? LINK.exec(raw) : null;
    if (!m) {
      issues.push({ path: at, message: 'must be "from->to" or "from->to:port", such as "api->db:5432"' });
      return;
    }
    const [, from, to, portText] = m as unknown as [string, string, string, string | undefined];
    let bad = false;
    for (const [end, svc] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!known.has(svc)) {
        issues.push({ path: at, message: `${end} names unknown service "${svc}"; services are ${list}` });
        bad = true;
      }
    }
    if (from === to) {
      issues.push({
        path: at,
        message: 'links a service to itself; a container needs no network to reach itself',
      });
      bad = true;
    }
    let port: number | undefined;
    if (portText !== undefined) {
      port = Number(portText);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        issues.push({ path: at, message: 'port must be 1–65535' });
        bad = true;
      }
    }
    if (bad) return;
    const pair = `${from}->${to}`;
    if (seen.has(pair)) {
      issues.push({ path: at, message: `repeats the link ${pair}; list each pair once` });
      return;
    }
    seen.add(pair);
    const link: Link = { from, to, text: port === undefined ? pair : `${pair}:${port}` };
    if (port !== undefined) link.port = port;
    out.push(link);
  });
  return { links: out, issues };
}
