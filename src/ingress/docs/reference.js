// The API reference: Swagger UI (the swagger-ui-dist package, loaded before this module as a
// classic script) rendering the service's own /openapi.json. Nothing is fetched from elsewhere:
// no validator badge, no external spec.
window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#page',
  deepLinking: true,
  validatorUrl: null,
});
