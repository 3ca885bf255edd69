// The staff console: live queue and case page (server-sent events), countdowns, actions by fetch.
// The person's text is only ever put into the page with textContent, never as HTML.
(() => {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const lang = document.documentElement.lang;
  const page = document.body.dataset.page;
  const notice = document.getElementById("notice");
  const labelsNode = document.getElementById("labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  // Countdowns follow the server's clock, whatever the computer's clock says.
  const served = Date.parse(document.body.dataset.now);
  const skew = Number.isNaN(served) ? 0 : served - Date.now();
  const clock = () => Date.now() + skew;

  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const isolated = (text, dir) => el("bdi", dir ? { dir } : {}, text);
  const duration = (ms) => {
    const total = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
  };

  function tick() {
    const now = clock();
    document.querySelectorAll("[data-since]").forEach((cell) => {
      const since = Date.parse(cell.dataset.since);
      if (!Number.isNaN(since)) cell.replaceChildren(isolated(duration(now - since), "ltr"));
    });
    document.querySelectorAll("[data-deadline]").forEach((cell) => {
      const row = cell.closest("tr");
      if (cell.dataset.answered) { cell.textContent = labels.answered || "✓"; return; }
      const due = Date.parse(cell.dataset.deadline);
      if (!cell.dataset.deadline || Number.isNaN(due)) { cell.textContent = labels.none || "–"; return; }
      const left = due - now;
      const late = left < 0;
      cell.classList.toggle("late", late);
      if (row) row.classList.toggle("late", late);
      cell.replaceChildren(
        ...(late ? [document.createTextNode((labels.passed || "passed") + " ")] : []),
        isolated((late ? "+" : "") + duration(left), "ltr"),
      );
    });
    document.querySelectorAll("time.when:not([data-done])").forEach((node) => {
      const at = new Date(node.getAttribute("datetime"));
      if (Number.isNaN(at.getTime())) return;
      node.textContent = at.toLocaleString(lang, { dateStyle: "short", timeStyle: "medium" });
      node.dataset.done = "1";
    });
  }

  function live(url, handlers) {
    const off = document.querySelector(".live-off");
    const source = new EventSource(url);
    source.onopen = () => { if (off) off.hidden = true; };
    source.onerror = () => { if (off) off.hidden = false; };
    source.addEventListener("ended", () => source.close());
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => handle(JSON.parse(event.data)));
    }
    window.addEventListener("pagehide", () => source.close());
    return source;
  }

  // -- the queue ------------------------------------------------------------
  function queuePage() {
    const section = document.querySelector('[data-test="queue"]');
    const body = document.getElementById("rows");
    const empty = section.querySelector(".empty");
    const chime = document.getElementById("chime");
    const baseTitle = document.title;
    const known = new Set([...body.querySelectorAll("tr")].map((tr) => tr.dataset.caseId));
    document.body.dataset.alerts = "0";

    const rowFor = (r) => {
      const tr = el("tr", {
        "data-test": "case-row", "data-case-id": String(r.id), "data-priority": r.priority,
        "data-url": r.url, class: `priority-${r.priority}`,
      });
      const link = el("a", { href: r.url });
      link.append(isolated(`#${r.id}`));
      const cells = [
        link,
        el("span", { class: `badge ${r.priority}` }, r.priority_label),
        document.createTextNode(r.category_label),
        isolated(r.language), isolated(r.channel), null, null,
        document.createTextNode(r.status_label), isolated(r.assignee || ""),
      ];
      cells.forEach((content, index) => {
        const td = el("td");
        if (index === 5) { td.className = "age"; td.dataset.since = r.created_at; }
        if (index === 6) {
          td.className = "deadline"; td.dataset.deadline = r.deadline_at || "";
          td.dataset.answered = r.answered ? "yes" : "";
        }
        if (content) td.append(content);
        tr.append(td);
      });
      return tr;
    };

    const alert = () => {
      document.title = `(!) ${labels.new_imminent} · ${baseTitle}`;
      document.body.dataset.alerts = String(Number(document.body.dataset.alerts) + 1);
      if (chime) chime.play().catch(() => {});
    };
    window.addEventListener("focus", () => { document.title = baseTitle; });

    live(section.dataset.events, {
      queue: (rows) => {
        let imminent = false;
        for (const r of rows) {
          if (!known.has(String(r.id)) && r.priority === "imminent" && r.status === "open") imminent = true;
          known.add(String(r.id));
        }
        body.replaceChildren(...rows.map(rowFor));
        empty.hidden = rows.length > 0;
        tick();
        if (imminent) alert();
      },
    });
    body.addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-url]");
      if (row && !event.target.closest("a")) window.location.href = row.dataset.url;
    });
  }

  // -- one case -------------------------------------------------------------
  function applyState(state) {
    if (!state) return;
    const set = (id, text) => { const n = document.getElementById(id); if (n) n.textContent = text; };
    set("status", state.status_label);
    set("assignee", state.assignee);
    set("mode", state.mode);
    set("priority", state.priority_label);
    const show = (id, yes) => { const n = document.getElementById(id); if (n) n.hidden = !yes; };
    show("claim-form", state.can_claim);
    show("close-form", state.can_close);
    show("handback-form", state.can_handback);
    const send = document.querySelector('[data-test="reply-send"]');
    if (send) send.disabled = !state.can_reply;
  }

  function casePage() {
    const section = document.getElementById("case");
    const list = document.getElementById("messages");
    const add = (m) => {
      if (list.querySelector(`li[data-id="${m.id}"]`)) return;
      const li = el("li", {
        "data-test": "message", "data-direction": m.direction, "data-id": String(m.id),
        class: `msg ${m.direction}`,
      });
      const meta = el("span", { class: "meta" });
      meta.append(isolated(m.who), " · ", el("time", { datetime: m.at, class: "when" }), " · ",
                  el("span", { class: "delivery" }, m.status_label));
      li.append(meta, el("p", { class: "text", dir: "auto" }, m.text));
      list.append(li);
      tick();
    };
    live(section.dataset.events, {
      message: add,
      status: (s) => {
        const node = list.querySelector(`li[data-id="${s.id}"] .delivery`);
        if (node) node.textContent = s.status_label;
      },
      case: applyState,
    });
    document.querySelectorAll(".canned-reply").forEach((button) => {
      button.addEventListener("click", () => {
        const box = document.querySelector('[data-test="reply-text"]');
        box.value = button.dataset.text;
        box.focus();
      });
    });
  }

  // Case actions go by fetch with the CSRF token in a header; without script, forms post.
  document.querySelectorAll("form.act").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => { b.disabled = true; });
      let state = null;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
          body: new URLSearchParams(new FormData(form)),
          credentials: "same-origin",
        });
        const data = await response.json().catch(() => ({}));
        if (!response.ok) { notice.textContent = data.error || String(response.status); return; }
        notice.textContent = "";
        if (form.dataset.reload) { window.location.reload(); return; }
        form.querySelectorAll("textarea").forEach((box) => { box.value = ""; });
        state = data.state;
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
        applyState(state);  // after: what the case now allows wins
      }
    });
  });

  if (page === "queue") queuePage();
  if (page === "case") casePage();
  tick();
  setInterval(tick, 1000);
})();
