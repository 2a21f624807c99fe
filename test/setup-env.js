// Ordinary assertion tests skip aws-cdk-lib's built-in CloudFormation validation (about 3 s to
// start, then more per template). The gate test in test/gate.test.ts turns it back on for itself.
process.env.CDK_VALIDATION = 'false';

// The AWS SDK warns on Node.js 20 that releases after January 2027 need Node.js 22; the handler
// tests use the SDK, and the warning says nothing about the code under test.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning'))
    return;
  return emitWarning.call(process, warning, ...rest);
};

// aws-cdk-lib records where every CloudFormation element was created (a stack trace each), for
// `cdk synth --debug` and the validation report's construct traces. Under jest every trace also
// goes through jest's source maps: some 7% of the suite's time. Ordinary tests build stacks
// without them (no test reads them); test/gate.test.ts turns them back on for the reference it
// synthesizes exactly as `cdk synth` does. Apps read this context from CDK_CONTEXT_JSON, as the
// CDK CLI passes it.
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true });
