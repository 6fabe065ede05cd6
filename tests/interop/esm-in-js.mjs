// A module loader hook: @pathcheck/dcc-sdk ships ES module syntax in .js files of a package
// without "type": "module". Node 20.19+ detects that by itself; Node 18 (Debian 12's) reads
// them as CommonJS and finds no exports, so here such a file is loaded as a module.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const esmSyntax = /^\s*(import|export)\s/m;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (result.format !== 'commonjs' || !url.startsWith('file:') || !url.includes('/node_modules/')) return result;
  const source = result.source ?? (await readFile(fileURLToPath(url)));
  if (!esmSyntax.test(source.toString())) return result;
  return { format: 'module', source, shortCircuit: true };
}
