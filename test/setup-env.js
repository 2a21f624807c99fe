// Ordinary assertion tests skip aws-cdk-lib's built-in CloudFormation validation (about 3 s to
// start, then more per template). The gate test in test/gate.test.ts turns it back on for itself.
process.env.CDK_VALIDATION = 'false';
