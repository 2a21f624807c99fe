#!/usr/bin/env bash
# Measures Office Zones against a bare CDK app (one bucket) in the same run, on this machine, and
# prints the ratios. Usage: scripts/bench.sh [runs]   (default 3; medians are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
bare="$(mktemp -d)"
trap 'rm -rf "$bare"' EXIT

# The bare app uses this project's node_modules and cdk.json flags, so only the app differs.
ln -s "$PWD/node_modules" "$bare/node_modules"
node -e '
const c = require("./cdk.json");
c.app = "npx tsx app.ts";
require("fs").writeFileSync(process.argv[1] + "/cdk.json", JSON.stringify(c));
' "$bare"
cat > "$bare/app.ts" <<'TS'
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
const app = new App();
new s3.Bucket(new Stack(app, 'Bare'), 'Bucket');
app.synth();
TS

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

synth_bare=$(time_of bash -c "cd '$bare' && npx cdk synth -q --no-notices")
synth_oz=$(time_of npx cdk synth -q --no-notices)
fast_bare=$(time_of bash -c "cd '$bare' && npx cdk synth -q --no-notices --no-validation")
fast_oz=$(time_of npx cdk synth -q --no-notices --no-validation)
test_oz=$(time_of npm test --silent)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
printf '%-48s %8s %8s %7s\n' 'measure (median of '"$runs"', seconds)' 'bare' 'office' 'ratio'
printf '%-48s %8.1f %8.1f %6sx\n' 'cdk synth (CloudFormation validation on)' "$synth_bare" "$synth_oz" "$(ratio "$synth_oz" "$synth_bare")"
printf '%-48s %8.1f %8.1f %6sx\n' 'cdk synth --no-validation' "$fast_bare" "$fast_oz" "$(ratio "$fast_oz" "$fast_bare")"
printf '%-48s %8s %8.1f %7s\n' 'npm test (whole suite)' '-' "$test_oz" '-'
