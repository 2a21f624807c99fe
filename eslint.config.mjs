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
    // The blueprint, the broker contract and the CLI are read by the CLI and scripts, which must
    // not load aws-cdk-lib (STYLE.md, "The house").
    // So are the CDK-free files of constructs/ that the blueprint reads too: what a consumer is,
    // a throttle, each zone's defaults (STYLE.md, "Defaults are data, in one place").
    files: [
      'lib/blueprint/**/*.ts',
      'lib/contract/**/*.ts',
      'lib/cli/**/*.ts',
      'constructs/*/defaults.ts',
      'constructs/broker/consumer.ts',
      'constructs/shared/throttle.ts',
    ],
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
              group: ['aws-cdk-lib/*'],
              message:
                'lib/blueprint, lib/contract and lib/cli stay free of aws-cdk-lib and constructs.',
            },
            {
              // Any file of stacks/ or reports/, and of constructs/ but its CDK-free files.
              regex:
                '(^|/)(stacks|reports)/|(^|/)constructs/(?!(broker/consumer|shared/throttle|[a-z-]+/defaults)$)',
              message:
                'lib/blueprint, lib/contract and lib/cli do not import the CDK side of the house.',
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
