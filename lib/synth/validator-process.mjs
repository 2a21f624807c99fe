// aws-cdk-lib's CloudFormation validator (its CloudFormationValidatePlugin, which runs
// @aws/cloudformation-validate) in a Node.js process of its own (validation-cache.ts, DEC-044).
// Started with every rule aws-cdk-lib ships, then reads one validation context per line on stdin
// and writes one line on stdout for each: {"report": ...} or {"error": "..."}; a line
// {"version": true} asks for the validator's version instead: {"version": "..."}.
// argv[2]: the file of aws-cdk-lib's plugin module.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

/** Every resource type: the engine starts with every rule, whatever the templates hold. */
class EveryType extends Set {
  has() {
    return true;
  }
}

let plugin;
let failure;
try {
  const { CloudFormationValidatePlugin } = createRequire(import.meta.url)(process.argv[2]);
  plugin = new CloudFormationValidatePlugin();
  plugin.initializeEngine(new EveryType());
} catch (e) {
  failure = String(e?.stack ?? e);
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  let reply;
  if (failure !== undefined) reply = { error: failure };
  else {
    try {
      const request = JSON.parse(line);
      reply = request.version
        ? { version: plugin.version ?? null }
        : { report: plugin.validate(request) };
    } catch (e) {
      reply = { error: String(e?.stack ?? e) };
    }
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
