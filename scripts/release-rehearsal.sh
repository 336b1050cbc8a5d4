#!/usr/bin/env bash
# Release rehearsal: publish every Bulkhead package to a real registry on this machine and install
# them the way users do, from fresh directories outside the repository.
#
#   bash scripts/release-rehearsal.sh          (npm run test:release; needs Node 22 or 24)
#
# 1. Builds the workspace (turbo; cached when `npm test` ran first).
# 2. Installs Verdaccio 6.8 (runs on Node 20, 22 and 24) into a throwaway directory, NOT as a
#    project dependency, and starts it on 127.0.0.1 at a free port with throwaway storage and no
#    uplinks at all: it serves only what is published to it.
# 3. The Changesets flow on a scratch copy of the repository: a changeset bumping the five
#    published packages, `changeset version --snapshot rehearsal` (versions such as
#    0.1.1-rehearsal-20261203221500; internal ranges follow), the init templates re-derived with
#    those versions, then `changeset publish --tag rehearsal` (npm publish per package, with the
#    token of a user created on the local registry). The repository itself is not touched.
# 4. As a user, in fresh directories under a temporary directory, with only the @bulkhead scope
#    pointed at the local registry (a throwaway .npmrc, or --@bulkhead:registry for the global
#    install); every other package comes from the usual registry:
#    - npm install -g @bulkhead/cli → bulkhead --help, rules list, validate a compose file;
#    - bulkhead init my-stack --template web-db → npm install → npm test → tsc → bulkhead validate .;
#    - a Pulumi program importing @bulkhead/components in a CommonJS project (Pulumi's template
#      tsconfig) and in an ESM one (nodenext): tsc without skipLibCheck, then run under mocks;
#    - the policy pack: npm pack from the registry, extracted, `npm install --omit=dev` in that
#      directory alone, started under @pulumi/pulumi's run-policy-pack by @bulkhead/policy-harness
#      (installed from the registry), Analyze answers with the expected violations.
# 5. Stops the registry (its pid) and removes every temporary directory, also on failure.
#
# Prints one line per check and `N passed, M failed` at the end; exits 1 when any check failed.
# Logs of a failed check are printed (their tail). REHEARSAL_KEEP=1 keeps the temporary directory.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "$(node -p "try { require('$REPO/package.json').name } catch { '' }" 2>/dev/null)" != bulkhead ]; then
  echo "release rehearsal: run scripts/release-rehearsal.sh from the Bulkhead repository"
  exit 2
fi
VERDACCIO_SPEC=${VERDACCIO_SPEC:-verdaccio@~6.8.0}
PUBLISHED=(core components cli policy-harness policy-docker-hardening)
start=$(date +%s)

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 22 ]; then
  echo "release rehearsal: needs Node 22 or 24 (this is $(node --version)); @pulumi/pulumi and @changesets/cli require >= 22"
  echo "0 passed, 1 failed"
  exit 1
fi

# Run as a user's shell would: `npm run test:release` exports the repository's npm settings as
# npm_config_* variables (npm_config_userconfig among them), which would override the throwaway
# .npmrc files below (publishing then fails with ENEEDAUTH).
while IFS= read -r v; do unset "$v"; done < <(env | sed -n 's/^\([Nn][Pp][Mm]_[Cc][Oo][Nn][Ff][Ii][Gg]_[A-Za-z0-9_]*\)=.*/\1/p')

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-rehearsal.XXXXXX")
REG_PID=""
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  if [ -n "$REG_PID" ] && kill -0 "$REG_PID" 2>/dev/null; then
    kill "$REG_PID" 2>/dev/null
    wait "$REG_PID" 2>/dev/null
  fi
  if [ "${REHEARSAL_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/logs" "$WORK/users"

passed=0
failed=0
# check NAME COMMAND…: runs the command with its output in a log; one line with the verdict.
check() {
  local name=$1
  shift
  local log
  log="$WORK/logs/$(printf '%02d' $((passed + failed)))-${name//[^A-Za-z0-9]/-}.log"
  local t0
  t0=$(date +%s)
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name ($(( $(date +%s) - t0 ))s)"
    return 0
  fi
  failed=$((failed + 1))
  echo "FAIL $name ($(( $(date +%s) - t0 ))s); last lines of its log:"
  tail -n 40 "$log" | sed 's/^/     | /'
  return 1
}
finish() {
  echo "release rehearsal finished in $(( $(date +%s) - start ))s on node $(node --version)"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
# An @bulkhead-scoped .npmrc for a user's directory: only the scope goes to the local registry.
scope_npmrc() { printf '@bulkhead:registry=%s\n' "$REGISTRY" >"$1/.npmrc"; }
# Packages already in npm's cache are not revalidated (a fresh snapshot version is never cached:
# its metadata comes from the local registry, at a new port each run).
quiet_npm=(--no-audit --no-fund --loglevel=error --prefer-offline)

# ---- 1. build -------------------------------------------------------------------------------
build() { (cd "$REPO" && npx turbo run build --output-logs=errors-only); }
check "build the workspace" build || finish

# ---- 2. registry ----------------------------------------------------------------------------
start_registry() {
  npm install --prefix "$WORK/verdaccio" "$VERDACCIO_SPEC" "${quiet_npm[@]}" || return 1
  PORT=$(node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  REGISTRY="http://127.0.0.1:$PORT/"
  mkdir -p "$WORK/registry/storage"
  cat >"$WORK/registry/config.yaml" <<EOF
storage: $WORK/registry/storage
auth:
  htpasswd:
    file: $WORK/registry/htpasswd
    max_users: 10
# No uplinks: the registry serves only what is published to it.
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
EOF
  node "$WORK/verdaccio/node_modules/verdaccio/bin/verdaccio" --config "$WORK/registry/config.yaml" \
    --listen "127.0.0.1:$PORT" >"$WORK/logs/verdaccio.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 1 60); do
    curl -sf "${REGISTRY}-/ping" >/dev/null && break
    kill -0 "$REG_PID" 2>/dev/null || { cat "$WORK/logs/verdaccio.log"; return 1; }
    sleep 0.5
  done
  curl -sf "${REGISTRY}-/ping" >/dev/null || { echo "Verdaccio did not answer on $REGISTRY"; return 1; }
  # A user on the local registry, for its auth token (publishing needs one).
  local password
  password=$(node -p 'require("node:crypto").randomBytes(12).toString("hex")')
  TOKEN=$(curl -sf -X PUT -H 'content-type: application/json' \
    -d "{\"name\":\"rehearsal\",\"password\":\"$password\"}" \
    "${REGISTRY}-/user/org.couchdb.user:rehearsal" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token||""))')
  [ -n "$TOKEN" ] || { echo "no token from the local registry"; return 1; }
  node "$WORK/verdaccio/node_modules/verdaccio/bin/verdaccio" --version
  echo "registry $REGISTRY (pid $REG_PID)"
}
# Not through `check`: it sets PORT, REGISTRY, TOKEN and REG_PID in this shell.
t0=$(date +%s)
if start_registry >"$WORK/logs/registry.log" 2>&1; then
  passed=$((passed + 1))
  echo "ok   start Verdaccio ($VERDACCIO_SPEC) on 127.0.0.1:$PORT, no uplinks ($(( $(date +%s) - t0 ))s)"
else
  failed=$((failed + 1))
  echo "FAIL start Verdaccio; last lines of its log:"
  tail -n 40 "$WORK/logs/registry.log" | sed 's/^/     | /'
  finish
fi

# ---- 3. version and publish with Changesets on a scratch copy ---------------------------------
SCRATCH="$WORK/scratch"
publish_all() {
  mkdir -p "$SCRATCH"
  # The repository with its builds, without node_modules or history; the tools come from the
  # repository's node_modules.
  tar -C "$REPO" --exclude=./.git --exclude='node_modules' --exclude='.turbo' --exclude='.stryker-tmp' \
    --exclude=./reports -cf - . | tar -C "$SCRATCH" -xf - || return 1
  ln -s "$REPO/node_modules" "$SCRATCH/node_modules"
  {
    echo '---'
    for p in "${PUBLISHED[@]}"; do echo "\"@bulkhead/$p\": patch"; done
    echo '---'
    echo
    echo 'Release rehearsal.'
  } >"$SCRATCH/.changeset/release-rehearsal.md"
  local changeset=("$REPO/node_modules/@changesets/cli/bin.js")
  (cd "$SCRATCH" && node "${changeset[@]}" version --snapshot rehearsal) || return 1
  VERSION=$(node -p "require('$SCRATCH/packages/core/package.json').version")
  echo "snapshot version $VERSION"
  for p in packages/components packages/cli packages/policy-harness policy-packs/docker-hardening; do
    node -e '
      const pkg = require(process.argv[1]);
      for (const sec of ["dependencies", "devDependencies"])
        for (const [n, r] of Object.entries(pkg[sec] ?? {}))
          if (n.startsWith("@bulkhead/")) console.log(`${pkg.name} ${sec} ${n}@${r}`);
    ' "$SCRATCH/$p/package.json"
  done
  # The init templates carry the Bulkhead versions: derive them again from the new versions.
  (cd "$SCRATCH/packages/cli" && node scripts/copy-templates.cjs && node scripts/manifest.mjs) || return 1
  grep -q "\"@bulkhead/components\": \"\\^$VERSION\"" "$SCRATCH/packages/cli/dist/templates/web-db/package.json" ||
    { echo "the web-db template does not ask for @bulkhead/components ^$VERSION"; return 1; }
  printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$REGISTRY" "$PORT" "$TOKEN" >"$WORK/publish.npmrc"
  (cd "$SCRATCH" && NPM_CONFIG_USERCONFIG="$WORK/publish.npmrc" npm_config_registry="$REGISTRY" \
    node "${changeset[@]}" publish --tag rehearsal --no-git-tag) || return 1
  for p in "${PUBLISHED[@]}"; do
    local got
    got=$(npm view "@bulkhead/$p@$VERSION" version --registry "$REGISTRY") || return 1
    [ "$got" = "$VERSION" ] || { echo "@bulkhead/$p@$VERSION is not on the registry"; return 1; }
    echo "published @bulkhead/$p@$got"
  done
}
t0=$(date +%s)
if publish_all >"$WORK/logs/publish.log" 2>&1; then
  passed=$((passed + 1))
  echo "ok   changeset version --snapshot + changeset publish: ${#PUBLISHED[@]} packages at $VERSION ($(( $(date +%s) - t0 ))s)"
else
  failed=$((failed + 1))
  echo "FAIL changeset version/publish; last lines of its log:"
  tail -n 40 "$WORK/logs/publish.log" | sed 's/^/     | /'
  finish
fi

# ---- 4. as a user ------------------------------------------------------------------------------
U="$WORK/users"
GLOBAL="$U/global"
BULKHEAD="$GLOBAL/bin/bulkhead"

install_cli() {
  mkdir -p "$GLOBAL" && cd "$U" &&
    npm install -g --prefix "$GLOBAL" "@bulkhead/cli@$VERSION" "--@bulkhead:registry=$REGISTRY" "${quiet_npm[@]}" &&
    test -x "$BULKHEAD"
}
check "npm install -g @bulkhead/cli (from the registry)" install_cli || finish

# Output first, then grep (a `| grep -q` would close the pipe early: SIGPIPE under pipefail).
cli_help() {
  local out
  out=$("$BULKHEAD" --help) || return 1
  echo "$out"
  grep -q 'validate' <<<"$out" && grep -q 'init' <<<"$out"
}
check "bulkhead --help" cli_help
cli_rules() {
  local out
  out=$("$BULKHEAD" rules list) || return 1
  echo "$out"
  grep -q 'no-privileged' <<<"$out"
}
check "bulkhead rules list" cli_rules
cli_validate_compose() {
  mkdir -p "$U/compose" && cd "$U/compose" || return 1
  cat >compose.yaml <<'EOF'
services:
  web:
    image: nginx:latest
    privileged: true
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
EOF
  local code=0
  "$BULKHEAD" validate compose.yaml >out.txt 2>&1 || code=$?
  cat out.txt
  # Findings exit 1 (documented); the two planted risks are named.
  [ "$code" -eq 1 ] && grep -q 'no-privileged' out.txt && grep -q 'no-docker-socket' out.txt &&
    "$BULKHEAD" validate compose.yaml --fail-on none >/dev/null
}
check "bulkhead validate compose.yaml (exit 1 naming no-privileged, no-docker-socket)" cli_validate_compose

scaffold() {
  mkdir -p "$U/scaffold" && cd "$U/scaffold" || return 1
  "$BULKHEAD" init my-stack --template web-db || return 1
  cd my-stack && scope_npmrc . || return 1
  grep '@bulkhead' package.json
  npm install "${quiet_npm[@]}" || return 1
  npm test || return 1
  npx tsc -p tsconfig.json || return 1
  "$BULKHEAD" validate .
}

# A Pulumi program as users write it: Pulumi's TypeScript template (typescript ^5, strict,
# commonjs, moduleResolution node, no esModuleInterop, no skipLibCheck), or an ESM project.
program_project() {
  local dir=$1 type=$2
  mkdir -p "$dir" && cd "$dir" || return 1
  scope_npmrc .
  cat >package.json <<EOF
{
  "name": "user-program-$type",
  "private": true,
  "type": "$type",
  "main": "bin/index.js",
  "devDependencies": { "@types/node": "^22", "typescript": "^5.0.0" },
  "dependencies": {
    "@bulkhead/components": "^$VERSION",
    "@pulumi/docker": "^5.2.0",
    "@pulumi/pulumi": "^3.270.0"
  }
}
EOF
  cat >index.ts <<'EOF'
import * as pulumi from '@pulumi/pulumi';
import { HardenedContainer, HardenedNetwork, SegmentedStack } from '@bulkhead/components';

const backend = new HardenedNetwork('backend', {});
const api = new HardenedContainer('api', {
  image: 'registry.example/api@sha256:0000000000000000000000000000000000000000000000000000000000000001',
  healthcheck: { test: ['/app/healthz'] },
  networks: [backend],
  writablePaths: { '/tmp': { size: '16m' } },
});
new SegmentedStack('shop', {
  services: {
    web: {
      image: 'registry.example/web@sha256:0000000000000000000000000000000000000000000000000000000000000002',
      healthcheck: { test: ['/healthz'] },
    },
  },
});
export const apiName: pulumi.Output<string> = api.container.name;
EOF
}
program_test() {
  local dir=$1 ext=$2 load=$3
  cat >"$dir/mocks.test.$ext" <<EOF
// Runs the compiled program under Pulumi's mocks through @bulkhead/components/testkit.
${load}
(async () => {
  const resources = await runProgramUnderMocks(PROGRAM, { project: 'user-program' });
  const types = resources.map((r) => r.type);
  for (const t of ['bulkhead:docker:HardenedContainer', 'bulkhead:docker:HardenedNetwork', 'bulkhead:docker:SegmentedStack', 'docker:index/container:Container']) {
    if (!types.includes(t)) throw new Error('no ' + t + ' registered: ' + types.join(', '));
  }
  console.log(resources.length + ' resources registered under mocks');
})().catch((e) => { console.error(e); process.exit(1); });
EOF
}
cjs_program() {
  program_project "$U/program-cjs" commonjs || return 1
  cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "strict": true,
    "outDir": "bin",
    "target": "es2020",
    "module": "commonjs",
    "moduleResolution": "node",
    "sourceMap": true,
    "experimentalDecorators": true,
    "pretty": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitReturns": true,
    "forceConsistentCasingInFileNames": true
  },
  "files": ["index.ts"]
}
EOF
  program_test "$U/program-cjs" js "const { runProgramUnderMocks } = require('@bulkhead/components/testkit');
const PROGRAM = require('node:path').join(__dirname, 'bin', 'index.js');" || return 1
  npm install "${quiet_npm[@]}" && npx tsc --version && npx tsc -p tsconfig.json && node mocks.test.js
}

esm_program() {
  program_project "$U/program-esm" module || return 1
  cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "strict": true,
    "outDir": "bin",
    "target": "es2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "sourceMap": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitReturns": true,
    "forceConsistentCasingInFileNames": true
  },
  "files": ["index.ts"]
}
EOF
  program_test "$U/program-esm" mjs "import { runProgramUnderMocks } from '@bulkhead/components/testkit';
const PROGRAM = () => import('./bin/index.js');" || return 1
  npm install "${quiet_npm[@]}" && npx tsc -p tsconfig.json && node mocks.test.mjs
}

policy_pack() {
  mkdir -p "$U/pack" && cd "$U/pack" && scope_npmrc . || return 1
  # The pack directory as a user (or `pulumi policy publish`) has it: the package alone, its
  # production dependencies installed in it from the registry.
  npm pack "@bulkhead/policy-docker-hardening@$VERSION" "${quiet_npm[@]}" || return 1
  tar -xzf bulkhead-policy-docker-hardening-*.tgz && cd package && scope_npmrc . || return 1
  grep -A3 '"@pulumi/policy"' package.json
  npm install --omit=dev "${quiet_npm[@]}" || return 1
  test -f PulumiPolicy.yaml && test -d node_modules/@pulumi/policy || return 1
  # The driver: @bulkhead/policy-harness from the registry, in its own directory.
  mkdir -p "$U/pack-driver" && cd "$U/pack-driver" && scope_npmrc . || return 1
  echo '{ "name": "pack-driver", "private": true }' >package.json
  npm install "@bulkhead/policy-harness@$VERSION" "${quiet_npm[@]}" || return 1
  cat >analyze.js <<'EOF'
const { startPolicyPack } = require('@bulkhead/policy-harness');
(async () => {
  const pack = await startPolicyPack(process.argv[2]);
  try {
    const risky = await pack.analyze({
      type: 'docker:index/container:Container',
      name: 'web',
      properties: {
        image: 'nginx:latest',
        privileged: true,
        volumes: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }],
      },
    });
    const mandatory = risky.filter((v) => v.enforcementLevel === 'mandatory').map((v) => v.policyName);
    console.log('mandatory violations:', mandatory.join(', '));
    for (const p of ['no-privileged', 'no-docker-socket']) {
      if (!mandatory.includes(p)) throw new Error(`expected a mandatory ${p} violation`);
    }
    const other = await pack.analyze({ type: 'aws:s3/bucket:Bucket', name: 'b', properties: {} });
    if (other.length !== 0) throw new Error(`a non-docker resource got violations: ${JSON.stringify(other)}`);
  } finally {
    await pack.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
EOF
  node analyze.js "$U/pack/package"
}
# The four user projects are independent: install and test them side by side (their time is
# mostly npm install), then report each in order.
names=(
  "bulkhead init my-stack --template web-db → npm install → npm test → tsc → bulkhead validate ."
  "Pulumi program, CommonJS (Pulumi's template tsconfig): tsc without skipLibCheck, runs under mocks"
  "Pulumi program, ESM (nodenext): tsc without skipLibCheck, runs under mocks"
  "policy pack from the registry: npm install --omit=dev alone, run-policy-pack answers Analyze"
)
funcs=(scaffold cjs_program esm_program policy_pack)
pids=()
t0=$(date +%s)
for i in "${!funcs[@]}"; do
  ( "${funcs[$i]}" >"$WORK/logs/user-${funcs[$i]}.log" 2>&1 ) &
  pids+=($!)
done
for i in "${!funcs[@]}"; do
  if wait "${pids[$i]}"; then
    passed=$((passed + 1))
    echo "ok   ${names[$i]} (done by $(( $(date +%s) - t0 ))s)"
  else
    failed=$((failed + 1))
    echo "FAIL ${names[$i]}; last lines of its log:"
    tail -n 40 "$WORK/logs/user-${funcs[$i]}.log" | sed 's/^/     | /'
  fi
done

finish
