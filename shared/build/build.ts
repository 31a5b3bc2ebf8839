import { parseArgs } from 'node:util';
import { buildClientPackage, PACKAGE_DIR } from './package-build.js';

/** `npm run build:client [-- --out-dir DIR]`: builds @livedesk/client into DIR (default shared/). */
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: PACKAGE_DIR } } });
try {
  const files = await buildClientPackage(values['out-dir']);
  console.log(`@livedesk/client: ${files.length} files in ${values['out-dir']}/dist`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
