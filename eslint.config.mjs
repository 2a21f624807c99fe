import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '**/node_modules/',
      'cdk.out/',
      '**/cdk.out/',
      'dist/',
      'docs/api/',
      'coverage/',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      'no-throw-literal': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // cdk-nag's index loads every pack's rules and the aws-cdk-lib modules they check; building
    // stacks takes cdk-nag's enums and NagPack from policies/nag-core.ts, and only the security
    // gate (policies/rules-run.ts) loads the AwsSolutions pack. Types are free.
    files: ['lib/**/*.ts', 'constructs/**/*.ts', 'policies/**/*.ts', 'bin/**/*.ts', 'index.ts'],
    ignores: ['policies/rules-run.ts', 'policies/nag-core.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'cdk-nag',
              allowTypeImports: true,
              message:
                "import cdk-nag's values from policies/nag-core.ts: its index loads every pack (0.5 s)",
            },
          ],
        },
      ],
    },
  },
  {
    // The blueprint, the broker contract and the CLI are read by the CLI and scripts, which must
    // not load aws-cdk-lib (STYLE.md, "The house").
    files: ['lib/blueprint/**/*.ts', 'lib/contract/**/*.ts', 'lib/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['aws-cdk-lib', 'constructs'].map((name) => ({
            name,
            message:
              'lib/blueprint, lib/contract and lib/cli stay free of aws-cdk-lib and constructs.',
          })),
          patterns: [
            {
              regex: '^(?:aws-cdk-lib(?:/.*)?|constructs)$',
              message:
                'lib/blueprint, lib/contract and lib/cli stay free of aws-cdk-lib and constructs.',
            },
            {
              // The constructs' CDK-free data and checks (defaults.ts, prop-rules.ts, *-rules.ts,
              // throttle.ts, what a consumer is) are the exception: the blueprint reads them too.
              regex:
                '/(?:stacks|reports)/|/constructs/(?!(?:(?:front-office|back-office|cost-attribution|shared|broker)/(?:defaults|prop-rules|[a-z-]+-rules|throttle|product-route)|broker/consumer)$)',
              message:
                'lib/blueprint, lib/contract and lib/cli do not import the CDK side of the house (only its CDK-free defaults and rules).',
            },
          ],
        },
      ],
    },
  },
  {
    // What lib/blueprint may read from constructs/: plain data and pure functions, no CDK.
    files: [
      'constructs/*/defaults.ts',
      'constructs/*/prop-rules.ts',
      'constructs/*/*-rules.ts',
      'constructs/shared/throttle.ts',
      'constructs/front-office/product-route.ts',
      'constructs/broker/consumer.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(?:aws-cdk-lib(?:/.*)?|constructs)$|^\\.\\.?/(?!(?:[a-z-]+/)?(?:defaults|prop-rules|[a-z-]+-rules|throttle|product-route)$)',
              message:
                "The constructs' defaults and rules stay CDK-free: the blueprint and the CLI read them.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      // What jest-light-runner does not provide (DEC-042): fail here rather than at run time.
      'jest/no-restricted-jest-methods': [
        'error',
        Object.fromEntries(
          [
            'mock',
            'doMock',
            'unstable_mockModule',
            'isolateModules',
            'resetModules',
            'requireActual',
            'setTimeout',
            'isMockFunction',
          ].map((m) => [m, 'not available under jest-light-runner (DEC-042)']),
        ),
      ],
      'no-restricted-properties': [
        'error',
        ...['test', 'it'].flatMap((object) =>
          ['todo', 'failing'].map((property) => ({
            object,
            property,
            message: 'jest-light-runner runs it as an ordinary test (DEC-042)',
          })),
        ),
      ],
      // Tests read synthesized templates, which are untyped JSON.
      '@typescript-eslint/no-explicit-any': 'off',
      'jest/expect-expect': [
        'error',
        {
          assertFunctionNames: [
            'expect',
            'expect*',
            'template.*',
            'templateOf.*',
            '*.hasResource',
            '*.hasResourceProperties',
            '*.resourceCountIs',
            '*.allResources',
            '*.allResourcesProperties',
            '*.resourcePropertiesCountIs',
            'assert*',
          ],
        },
      ],
    },
  },
);
