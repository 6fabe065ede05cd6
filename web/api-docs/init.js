// The API reference: Swagger UI (from npm, served by the binary itself) over the OpenAPI
// document the server generates from its route declarations. An external file, not an inline
// script: the server's Content Security Policy allows scripts from itself only.
window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Tags start collapsed, with a filter: 180 operations listed open at once leave Swagger UI
  // 5.35 rendering only the first dozen (no error), and a reader wants one module at a time.
  docExpansion: 'none',
  filter: true,
  tryItOutEnabled: false,
  validatorUrl: null, // no calls to an outside validator
});
