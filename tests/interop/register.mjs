// Loaded with --import before verify_dcc.mjs: installs resolve_js.mjs.
import { register } from 'node:module';

register('./resolve_js.mjs', import.meta.url);
