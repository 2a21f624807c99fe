import { runCli } from '../lib/cli';

// The operations CLI of the broker (`npx office-zones --help`). Only this file reads the process:
// its arguments, environment and working directory.

// On Node 20 the AWS SDK warns that its releases after January 2027 will need Node 22. The
// warning is about future SDK releases, not this run, and would break the contract that an error
// is exactly one line on stderr. Setting the variable to anything but "true" brings it back.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A closed pipe (`office-zones consumers list | head -1`) is reported through the write callback.
process.stdout.on('error', () => undefined);

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
