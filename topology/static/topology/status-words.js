/* A live status in the reader's words, for every map script (geographic map, its page, the
 * logical view): "" for a status with no words, so each caller decides what to show then. */
(function () {
  "use strict";
  window.menhirStatusWord = function (status) {
    switch (status) {
      case "up": return gettext("up");
      case "down": return gettext("down");
      case "degraded": return gettext("degraded");
      case "maintenance": return gettext("maintenance");
      case "unknown": return gettext("unknown");
      case "planned": return gettext("planned");
      default: return "";
    }
  };
})();
