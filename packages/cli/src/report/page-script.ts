/**
 * The report's only script, inline: filtering and sorting the lanes. Without it the page is
 * complete (header, summary, every lane, each host's commands in a <details>).
 */
export const PAGE_SCRIPT = `
(function () {
  document.documentElement.classList.add("has-js");
  var body = document.getElementById("lane-rows");
  var rows = Array.prototype.slice.call(body.rows);
  var get = function (id) { return document.getElementById(id); };
  var count = get("shown");
  var times = function (r) { return r._times || (r._times = JSON.parse(r.dataset.times)); };
  function update() {
    var role = get("f-role").value, result = get("f-result").value, phase = get("f-phase").value;
    var text = get("f-host").value.toLowerCase(), sort = get("f-sort").value;
    var shown = rows.filter(function (r) {
      var visible = (!role || r.dataset.role === role) && (!result || r.dataset.result === result)
        && (!phase || phase in times(r)) && (!text || r.dataset.host.toLowerCase().indexOf(text) >= 0);
      r.classList.toggle("hidden", !visible);
      return visible;
    });
    var key = function (r) {
      if (sort === "total") return -Number(r.dataset.total);
      if (sort === "phase") return -(times(r)[phase] || 0);
      if (sort === "host") return r.dataset.host;
      if (sort === "result") return r.dataset.rank + r.dataset.result;
      return Number(r.dataset.order);
    };
    rows.slice().sort(function (a, b) { var x = key(a), y = key(b); return x < y ? -1 : x > y ? 1 : Number(a.dataset.order) - Number(b.dataset.order); })
      .forEach(function (r) { body.appendChild(r); });
    count.textContent = shown.length + " of " + rows.length + " lanes shown";
  }
  ["f-role", "f-result", "f-phase", "f-sort", "f-host"].forEach(function (id) { get(id).addEventListener("input", update); });
  update();
})();
`;
