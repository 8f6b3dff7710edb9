// The demo-day room screen keeps itself current. Every data-poll-ms milliseconds it asks for
// its own page again and swaps in the part that shows what is on stage (#screen-stage), so the
// wording stays in the template. A request that fails (the network dropped, the server is
// restarting) leaves the last good picture up, says so in a corner (the words are the status
// element's data-reconnecting) and tries again soon, then less often (1, 2, 4... seconds,
// never longer apart than two polls); the first answer that comes back puts everything right.
// The page itself is never reloaded, so the projector is never left on the browser's own
// error page.
(function () {
  "use strict";
  var screen = document.querySelector("[data-poll-ms]");
  var status = document.getElementById("screen-status");
  if (!screen || !status || !window.fetch || !window.DOMParser) {
    return;
  }
  var every = Math.max(250, Number(screen.getAttribute("data-poll-ms")) || 15000);
  var failures = 0;
  var timer = null;
  var asking = false;

  function later(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, ms);
  }

  function backoff() {
    return Math.min(2 * every, 1000 * Math.pow(2, failures - 1));
  }

  function show(fresh) {
    var stage = document.getElementById("screen-stage");
    if (stage.innerHTML !== fresh.innerHTML) {
      stage.replaceWith(document.importNode(fresh, true));
    }
  }

  function answered(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("screen-stage");
    if (!fresh) {
      throw new Error("the answer is not the room screen");
    }
    show(fresh);
    failures = 0;
    status.textContent = "";
  }

  function failed() {
    failures += 1;
    status.textContent = status.getAttribute("data-reconnecting");
  }

  function ask() {
    if (asking) {
      return;
    }
    asking = true;
    var abort = window.AbortController ? new AbortController() : null;
    var guard = abort && window.setTimeout(function () { abort.abort(); }, Math.max(5000, every));
    fetch(window.location.href, {
      cache: "no-store",
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: abort ? abort.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(answered)
      .catch(failed)
      .then(function () {
        window.clearTimeout(guard);
        asking = false;
        later(failures ? backoff() : every);
      });
  }

  // Back online: ask at once rather than wait for the next try.
  window.addEventListener("online", function () { later(0); });
  later(every);
})();
