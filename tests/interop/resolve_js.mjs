// Node resolve hook: @pathcheck/dcc-sdk's ES modules import "./resolver" without ".js",
// which Node's ES module loader refuses. Retry such relative imports with the extension.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (err.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.') && !specifier.endsWith('.js')) {
      return next(specifier + '.js', context);
    }
    throw err;
  }
}
