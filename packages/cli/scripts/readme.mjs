// Generates the command reference in README.md from oclif.manifest.json (what `oclif readme`
// does, without the heavy `oclif` package). `--check` exits 1 when README.md is stale.
// Needs a build first: `npm run build -w @bulkhead/cli`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = pkg.oclif.bin;
const START = '<!-- commands -->';
const END = '<!-- commandsstop -->';

const sub = (s) => (s ?? '').replaceAll('<%= config.bin %>', bin);

function flagUsage(f) {
  const name = `${f.char ? `-${f.char}, ` : ''}--${f.name}`;
  if (f.type === 'boolean') return f.allowNo ? `${name}/--no-${f.name}` : name;
  const value = f.options ? `<${f.options.join('|')}>` : `<${f.helpValue ?? 'value'}>`;
  return `${name}=${value}${f.multiple ? '...' : ''}`;
}

function command(c) {
  const id = c.id.replaceAll(':', ' ');
  const args = Object.values(c.args ?? {}).map((a) =>
    a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`,
  );
  const flags = Object.values(c.flags ?? {}).filter((f) => !f.hidden);
  const lines = [`## \`${bin} ${id}\``, '', sub(c.summary ?? c.description ?? ''), ''];
  lines.push(
    '```',
    `USAGE`,
    `  $ ${bin} ${id}${args.length ? ` ${args.join(' ')}${c.strict === false ? '...' : ''}` : ''}${flags.length ? ' [FLAGS]' : ''}`,
  );
  if (args.length) {
    lines.push('', 'ARGUMENTS');
    for (const a of Object.values(c.args))
      lines.push(`  ${a.name.toUpperCase().padEnd(22)} ${sub(a.description ?? '')}`);
  }
  if (flags.length) {
    lines.push('', 'FLAGS');
    for (const f of flags) {
      const def =
        f.default !== undefined &&
        f.default !== false &&
        !(Array.isArray(f.default) && f.default.length === 0)
          ? ` [default: ${f.default}]`
          : '';
      lines.push(`  ${flagUsage(f).padEnd(40)} ${sub(f.description ?? f.summary ?? '')}${def}`);
    }
  }
  if (c.summary && c.description)
    lines.push(
      '',
      'DESCRIPTION',
      ...sub(c.description)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  if (c.examples?.length) {
    lines.push('', 'EXAMPLES');
    for (const e of c.examples) lines.push(`  $ ${sub(typeof e === 'string' ? e : e.command)}`);
  }
  lines.push('```', '');
  return lines.join('\n');
}

const ids = Object.keys(manifest.commands).sort();
const body = [
  START,
  '',
  ...ids.map((id) => `- [\`${bin} ${id.replaceAll(':', ' ')}\`](#${`${bin}-${id.replaceAll(':', '-')}`})`),
  '',
  ...ids.map((id) => command(manifest.commands[id])),
  END,
].join('\n');

const file = join(root, 'README.md');
const readme = readFileSync(file, 'utf8');
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a < 0 || b < a) {
  console.error(`README.md has no ${START} … ${END} section`);
  process.exit(2);
}
const next = readme.slice(0, a) + body + readme.slice(b + END.length);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error(
      'README.md command reference is stale: run `npm run readme -w @bulkhead/cli` after a build',
    );
    process.exit(1);
  }
  console.log('README.md command reference is up to date');
} else {
  writeFileSync(file, next);
  console.log(`README.md: ${ids.length} commands`);
}
