// Preloaded into every interop check: any attempt to resolve a host other than the loopback
// fails at once, so a library that would fetch a trust registry cannot reach the internet.
const dns = require('dns');
const allowed = new Set(['localhost', '127.0.0.1', '::1']);
const lookup = dns.lookup;
dns.lookup = function (host, ...args) {
  if (!allowed.has(host)) throw new Error('network access refused in tests: ' + host);
  return lookup.call(this, host, ...args);
};
