// Test files and the sources they import are TypeScript, compiled as they load by tsx (esbuild),
// as `npx tsx` runs the scripts: the runner imports each test file (the ESM hook) and the file
// requires our sources (the CommonJS hook). Type errors are `npm run typecheck`'s to find.
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';

register();
registerCommonJs();
