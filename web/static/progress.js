// Live progress of a screening run: poll the run's JSON progress once a second and move the bar;
// when the run stops (complete or incomplete) reload the page, which then shows what to do next.
// Without JavaScript the page refreshes itself instead (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.dataset.status !== "running") { return; }
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  var percent = document.getElementById("progress-percent");
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.max = p.rows_total;
        bar.value = p.rows_done;
        text.textContent = p.rows_done + " / " + p.rows_total;
        percent.textContent = String(p.percent);
        if (p.status !== "running") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
