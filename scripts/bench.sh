#!/usr/bin/env bash
# Measures Office Zones against a bare CDK app (one bucket) in the same run, on this machine, and
# prints the ratios. Medians of [runs] (default 3).
#   scripts/bench.sh [runs]                     the reference: cdk synth with and without validation, cdk synth
#                                               after one product changed, npm test
#   scripts/bench.sh products [runs] [counts]   the app alone (no CDK CLI, validation off, bundling on) for
#                                               blueprints of <counts> products (default "1 50 200 400") and
#                                               10 capabilities: seconds, peak memory, ratio, stacks, largest stack;
#                                               and `npx cdk synth --no-validation` warm, as a user runs it
# Office Zones is timed cold (OFFICE_ZONES_CACHE=off: the app and every handler bundled, every access path asked
# of the IAM engine, every picture laid out) and warm (after a synth of the same blueprint filled
# node_modules/.cache/office-zones, as a user's next synth finds it; DEC-040).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=reference
if [ "${1:-}" = products ]; then mode=products; shift; fi
runs="${1:-3}"
counts="${2:-1 50 200 400}"
bare="$(mktemp -d)"
trap 'rm -rf "$bare"' EXIT

# The bare app: one bucket in plain JavaScript, run by node as cdk.json runs Office Zones
# (`node bin/app.js`), with this project's node_modules and cdk.json flags, so only the app differs.
ln -s "$PWD/node_modules" "$bare/node_modules"
node -e '
const c = require("./cdk.json");
c.app = "node app.js";
require("fs").writeFileSync(process.argv[1] + "/cdk.json", JSON.stringify(c));
' "$bare"
cat > "$bare/app.js" <<'JS'
const { App, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const app = new App();
new s3.Bucket(new Stack(app, 'Bare'), 'Bucket');
app.synth();
JS

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_of() { # command... -> seconds (median of $runs)
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
  done | median
}

time_of_once() { local runs=1; time_of "$@"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

if [ "$mode" = products ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$bare" "$work"' EXIT
  context() { # blueprint file or "" -> CDK_CONTEXT_JSON as the CDK CLI would pass it
    node -e '
const c = require("./cdk.json").context;
if (process.argv[1]) c.blueprint = process.argv[1];
process.stdout.write(JSON.stringify(c));' "$1"
  }
  run_app() { # dir app blueprint [cache] -> prints "seconds peak-MiB exit-code"
    local dir="$1" app="$2" blueprint="$3" cache="${4:-on}" out="$work/out" rss="$work/rss" start end code=0
    rm -rf "$out" "$rss"
    start=$(date +%s.%N)
    (cd "$dir" && OFFICE_ZONES_CACHE="$cache" CDK_OUTDIR="$out" CDK_VALIDATION=false CDK_CONTEXT_JSON="$(context "$blueprint")" \
      BENCH_RSS_FILE="$rss" node --require "$OLDPWD/scripts/bench-peak-rss.cjs" "$app" \
      >"$work/log" 2>&1) || code=$?
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" -v m="$(cat "$rss" 2>/dev/null || echo 0)" -v c="$code" \
      'BEGIN { printf "%.2f %.0f %d\n", b - a, m / 1024, c }'
  }

  largest() { # -> "stacks largest-stack resources KB" of the last run's assembly
    node -e '
const fs = require("fs"), path = require("path"), dir = process.argv[1];
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".template.json")) : [];
let best = { n: 0, kb: 0, name: "-" };
for (const f of files) {
  const n = Object.keys(JSON.parse(fs.readFileSync(path.join(dir, f))).Resources || {}).length;
  const kb = fs.statSync(path.join(dir, f)).size / 1024;
  if (n > best.n) best = { n, kb, name: f.replace(".template.json", "") };
}
console.log(`${files.length} ${best.name} ${best.n} ${best.kb.toFixed(0)}`);' "$work/out"
  }
  cli_synth() { # dir [blueprint] -> `npx cdk synth --no-validation` in dir, as a user runs it (median seconds)
    local dir="$1" blueprint="${2:-}"
    time_of bash -c "cd '$dir' && npx cdk synth -q --no-notices --no-validation -o '$work/cli-out' ${blueprint:+-c blueprint='$blueprint'}"
  }
  bare_out=$(for _ in $(seq "$runs"); do run_app "$bare" app.js ""; done)
  bare_cli=$(cli_synth "$bare")
  bare_s=$(awk '{print $1}' <<<"$bare_out" | median)
  bare_mb=$(awk '{print $2}' <<<"$bare_out" | median)
  printf '| products | capabilities | seconds cold | seconds warm | peak MiB | ratio to the bare app (cold, warm) | `cdk synth` warm | ratio | stacks | largest stack (resources, KB) | result |\n'
  printf '| -------- | ------------ | ------------ | ------------ | -------- | ---------------------------------- | ---------------- | ----- | ------ | ----------------------------- | ------ |\n'
  printf '| bare app | - | %.1f | - | %.0f | 1.0x | %.1f | 1.0x | 1 | - | - |\n' "$bare_s" "$bare_mb" "$bare_cli"
  for n in $counts; do
    file="$work/blueprint-$n.json"
    npx tsx scripts/write-large-blueprint.ts "$n" 10 "$file"
    cold_out=$(for _ in $(seq "$runs"); do run_app "$PWD" bin/app.js "$file" off; done)
    run_app "$PWD" bin/app.js "$file" >/dev/null # fills the caches, as a first synth does
    warm_out=$(for _ in $(seq "$runs"); do run_app "$PWD" bin/app.js "$file"; done)
    cold=$(awk '{print $1}' <<<"$cold_out" | median)
    warm=$(awk '{print $1}' <<<"$warm_out" | median)
    mb=$(awk '{print $2}' <<<"$cold_out" | median)
    code=$(printf '%s\n%s\n' "$cold_out" "$warm_out" | awk '{print $3}' | sort -n | tail -1)
    read -r stacks name resources kb < <(largest)
    rm -rf "$work/cli-out"
    cli=$(cli_synth "$PWD" "$file")
    result=ok
    if [ "$code" != 0 ]; then result="fails: $(grep -m1 -o '\[[^]]*\] [^(]*' "$work/log" || echo "exit $code")"
    elif [ ! -f "$work/cli-out/manifest.json" ]; then result="fails: cdk synth (the app alone passed)"; fi
    printf '| %s | 10 | %.1f | %.1f | %.0f | %sx, %sx | %.1f | %sx | %s | %s (%s, %s) | %s |\n' "$n" "$cold" "$warm" "$mb" \
      "$(ratio "$cold" "$bare_s")" "$(ratio "$warm" "$bare_s")" "$cli" "$(ratio "$cli" "$bare_cli")" \
      "$stacks" "$name" "$resources" "$kb" "$result"
  done
  exit 0
fi

synth_bare=$(time_of bash -c "cd '$bare' && npx cdk synth -q --no-notices")
synth_cold=$(time_of env OFFICE_ZONES_CACHE=off npx cdk synth -q --no-notices)
npx cdk synth -q --no-notices >/dev/null 2>&1 # fills the caches, as a first synth does
synth_oz=$(time_of npx cdk synth -q --no-notices)
# The edit loop: before each run, one product's budget is set to a value never synthesized before,
# so one template (the product's stack) is new to every cache, as after a team's change.
edit_blueprint() { # file -> the reference with loyalty's monthly budget set to a fresh value
  npx tsx -e "
import { writeFileSync } from 'node:fs';
import { REFERENCE_BLUEPRINT } from './lib/blueprint/reference';
const b = structuredClone(REFERENCE_BLUEPRINT);
const loyalty = b.frontOffice?.products?.find((p) => p.name === 'loyalty');
if (!loyalty) throw new Error('the reference has no loyalty product');
Object.assign(loyalty, { monthlyBudgetUsd: 1000 + Number(process.hrtime.bigint() % 1000000n) });
writeFileSync(process.argv[1], JSON.stringify(b));" "$1"
}
synth_edit=$(for _ in $(seq "$runs"); do
  edit_blueprint "$bare/edited.json"
  time_of_once npx cdk synth -q --no-notices -c blueprint="$bare/edited.json"
done | median)
fast_bare=$(time_of bash -c "cd '$bare' && npx cdk synth -q --no-notices --no-validation")
fast_cold=$(time_of env OFFICE_ZONES_CACHE=off npx cdk synth -q --no-notices --no-validation)
fast_oz=$(time_of npx cdk synth -q --no-notices --no-validation)
test_oz=$(time_of npm test --silent)

printf '%-48s %8s %8s %7s %8s %7s\n' 'measure (median of '"$runs"', seconds)' 'bare' 'cold' 'ratio' 'warm' 'ratio'
printf '%-48s %8.1f %8.1f %6sx %8.1f %6sx\n' 'cdk synth (CloudFormation validation on)' "$synth_bare" \
  "$synth_cold" "$(ratio "$synth_cold" "$synth_bare")" "$synth_oz" "$(ratio "$synth_oz" "$synth_bare")"
printf '%-48s %8.1f %8.1f %6sx %8.1f %6sx\n' 'cdk synth --no-validation' "$fast_bare" \
  "$fast_cold" "$(ratio "$fast_cold" "$fast_bare")" "$fast_oz" "$(ratio "$fast_oz" "$fast_bare")"
printf '%-48s %8.1f %8s %7s %8.1f %6sx\n' 'cdk synth after one product changed (validation)' \
  "$synth_bare" '-' '-' "$synth_edit" "$(ratio "$synth_edit" "$synth_bare")"
printf '%-48s %8s %8s %7s %8.1f %7s\n' 'npm test (whole suite)' '-' '-' '-' "$test_oz" '-'
