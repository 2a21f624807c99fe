// Preloaded by scripts/bench.sh: writes the process's peak resident set size (KiB) to the file
// named by BENCH_RSS_FILE when it exits, so the bench needs no `time` binary.
const fs = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE)
    fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
