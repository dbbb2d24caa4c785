// Newsdesk reader script: remembers what this browser read (localStorage only), counts the
// read, and fills "Recommended to you". The server keeps no profile; without this script the
// page is complete and the recommendation block simply stays hidden.
(function () {
  "use strict";
  var KEY = "newsdesk.seen", MAX = 20;
  var article = document.querySelector("[data-article-id]");
  if (!article) return;
  var id = parseInt(article.getAttribute("data-article-id"), 10);

  function readSeen() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (n) { return Number.isInteger(n); }) : [];
    } catch (e) { return []; }
  }
  var seen = readSeen().filter(function (n) { return n !== id; });
  seen.push(id);
  seen = seen.slice(-MAX);
  try { localStorage.setItem(KEY, JSON.stringify(seen)); } catch (e) { /* private mode: fine */ }

  fetch(article.getAttribute("data-read-url"), { method: "POST", credentials: "omit", keepalive: true })
    .catch(function () {});

  var box = document.getElementById("recommended");
  if (!box) return;
  var url = article.getAttribute("data-recommend-url") + "?seen=" + seen.join(",");
  fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data || !data.items || !data.items.length) return;
      var list = box.querySelector("ol");
      data.items.forEach(function (item) {
        var li = document.createElement("li"); li.className = "card";
        var a = document.createElement("a"); a.className = "card-title";
        a.href = item.url; a.textContent = item.title; li.appendChild(a);
        var p = document.createElement("p"); p.className = "card-meta";
        var why = document.createElement("span"); why.className = "reason";
        why.textContent = item.reason || ""; p.appendChild(why);
        if (item.source) p.appendChild(document.createTextNode(" · " + item.source));
        li.appendChild(p);
        list.appendChild(li);
      });
      box.hidden = false;
    })
    .catch(function () {});
})();
