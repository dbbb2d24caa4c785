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
  // What this browser read before this article: the history "Recommended to you" is built
  // from. On a first visit it is empty, and the block stays hidden: nothing was read yet.
  var before = readSeen().filter(function (n) { return n !== id; });
  var seen = before.concat([id]).slice(-MAX);
  try { localStorage.setItem(KEY, JSON.stringify(seen)); } catch (e) { /* private mode: fine */ }

  fetch(article.getAttribute("data-read-url"), { method: "POST", credentials: "omit", keepalive: true })
    .catch(function () {});

  var box = document.getElementById("recommended");
  if (!box || !before.length) return;
  // The history goes in a POST body, never in a URL (proxy and access logs keep URLs);
  // the answer is private to this reader (Cache-Control: private, no-store).
  var body = new URLSearchParams();
  body.set("seen", before.join(","));
  body.set("reading", String(id));  // shown already: not suggested, and no reason to cite
  fetch(article.getAttribute("data-recommend-url"), {
    method: "POST", body: body, credentials: "omit", cache: "no-store",
    headers: { Accept: "application/json" }
  })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data || !data.items || !data.items.length) return;
      var list = box.querySelector("ol");
      data.items.forEach(function (item) {
        var li = document.createElement("li"); li.className = "card";
        var a = document.createElement("a"); a.className = "card-title";
        a.href = item.url; a.textContent = item.title; a.dir = "auto";
        if (item.language) a.lang = item.language;
        li.appendChild(a);
        var p = document.createElement("p"); p.className = "card-meta";
        var why = document.createElement("span"); why.className = "reason";
        why.dir = "auto"; why.textContent = item.reason || ""; p.appendChild(why);
        if (item.source) p.appendChild(document.createTextNode(" · " + item.source));
        li.appendChild(p);
        list.appendChild(li);
      });
      box.hidden = false;
    })
    .catch(function () {});
})();
