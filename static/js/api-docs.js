// The API docs page (/api/docs): Swagger UI from this site's static files, configured from the JSON the page
// carries (no inline script, so the Content Security Policy holds).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  window.SwaggerUIBundle(config);
})();
