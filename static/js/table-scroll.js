// Wide tables scroll inside their own region (templates/_macros/tables.html). This marks the
// region's frame with the sides where columns are out of sight, and the stylesheet draws a
// shadow there. Without this file the tables still scroll; only the shadows are missing.
(function () {
  "use strict";
  function watch(frame) {
    var region = frame.querySelector(".eh-table-scroll__region");
    if (!region) {
      return;
    }
    function mark() {
      var hidden = region.scrollWidth - region.clientWidth;
      var start = Math.abs(region.scrollLeft);  // negative in right-to-left pages
      frame.classList.toggle("eh-table-scroll--more-before", hidden > 1 && start > 1);
      frame.classList.toggle("eh-table-scroll--more-after", hidden > 1 && hidden - start > 1);
    }
    region.addEventListener("scroll", mark, { passive: true });
    if (window.ResizeObserver) {
      var resized = new ResizeObserver(mark);
      resized.observe(region);
      if (region.firstElementChild) {
        resized.observe(region.firstElementChild);
      }
    } else {
      window.addEventListener("resize", mark);
    }
    mark();
  }
  document.querySelectorAll(".eh-table-scroll").forEach(watch);
})();
