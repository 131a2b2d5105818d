/* Runs before Material's bundle (included from overrides/partials/kb-config.html, right after the
 * theme's __config JSON), so the bundle reads the settings it leaves behind.
 *
 * 1. Search: point the theme at the Korean-aware worker written by kbtools/search.py, telling it
 *    the page's language (results in that language come first).
 * 2. Language switch: the links of the language menu already lead to the same page in the other
 *    language (mkdocs-static-i18n writes per-page alternates). Material additionally downloads
 *    sitemap.xml for each alternate to re-map those links; from file:// that request is refused
 *    and logged as an error, and en/sitemap.xml does not exist on the web either. Answer those
 *    requests here with an empty sitemap, so the menu keeps its per-page links and nothing fails.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var config = document.getElementById("__config");
  if (me && config && me.dataset.worker) {
    var settings = JSON.parse(config.textContent);
    settings.search = me.dataset.worker + "?lang=" + encodeURIComponent(me.dataset.lang || "");
    config.textContent = JSON.stringify(settings);
  }

  var EMPTY = "data:application/xml,%3Curlset%20xmlns%3D%22http%3A%2F%2Fwww.sitemaps.org%2Fschemas%2Fsitemap%2F0.9%22%2F%3E";
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    if (/(^|\/)sitemap\.xml$/.test(String(url).split(/[?#]/)[0])) args[1] = EMPTY;
    return open.apply(this, args);
  };
})();
