// showcall serve: one script for every view. It draws what the server
// computed (the speaker's faces come from the same presenter as the
// terminal speaker screen) and ticks on the SERVER's show clock: the offset
// to it is measured on every fetch, never taken from this device's clock.
// Every text from the show is set with textContent, never as HTML.
"use strict";
(function () {
  const q = new URLSearchParams(location.search);
  const view = document.body.dataset.view;
  const app = document.getElementById("app");
  let state = null, anchor = null, timer = null, lastMsg, loading = false;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // The show clock now, in ms: the server's instant at the middle of the
  // request, advanced at the server's speed.
  function showNow() {
    return anchor.show + (performance.now() - anchor.perf) * anchor.speed;
  }
  function hms(s) {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
    return (h > 0 ? h + ":" : "") + mm + ":" + String(x).padStart(2, "0");
  }
  // A countdown to `endMs` as the terminal writes it: m:ss, +m:ss once over.
  function countdown(endMs, now) {
    const s = Math.round((endMs - now) / 1000);
    return s < 0 ? "+" + hms(-s) : hms(s);
  }

  async function load() {
    if (loading) return;
    loading = true;
    try {
      const t0 = performance.now();
      const r = await fetch("/api/state" + location.search, { cache: "no-store" });
      const t1 = performance.now();
      if (!r.ok) { app.replaceChildren(el("p", "wait", r.status === 401 ? "This link needs its access key." : "Error " + r.status)); return; }
      state = await r.json();
      anchor = { show: state.now_ms, perf: (t0 + t1) / 2, speed: state.speed || 1 };
      document.documentElement.lang = state.lang || "en";
      draw();
    } catch (e) {
      setTimeout(load, 2000);
    } finally { loading = false; }
  }

  function schedule() {
    clearTimeout(timer);
    if (!anchor) return;
    const into = ((showNow() % 1000) + 1000) % 1000;
    timer = setTimeout(draw, Math.max(20, (1000 - into) / anchor.speed + 5));
  }

  function draw() {
    if (!state) return;
    const now = showNow();
    if (view === "speaker") drawSpeaker(now, false);
    else if (view === "overlay") drawSpeaker(now, true);
    else if (view === "booth") drawBooth(now);
    else drawSchedule(now);
    if (state.problem) app.append(el("p", "problem", "journal: " + state.problem));
    schedule();
  }

  // The face for the show second `now` falls in; asks for more faces
  // before they run out.
  function faceAt(now) {
    const f = state.faces, n = f.faces.length;
    let i = Math.floor((now - f.t0_ms) / 1000);
    if (i >= n - 30) load();
    i = Math.max(0, Math.min(n - 1, i));
    return { face: f.faces[i], at: f.t0_ms + i * 1000 };
  }

  function drawSpeaker(now, overlay) {
    const { face, at } = faceAt(now);
    app.dataset.showAt = String(at);
    if (overlay) return drawOverlay(face);
    document.body.className = "view-speaker tone-" + face.tone;
    const root = el("div", "speaker");
    const head = el("div", "head");
    head.append(el("span", "title", face.title));
    // The terminal speaker screen's word, in the page's language.
    if (state.rehearsal) head.append(el("span", "reh", state.faces.rehearsal || "REHEARSAL"));
    root.append(head, el("div", "who", face.who));
    const big = el("div", "big" + (face.tone === "calm" ? " calm" : ""), face.big);
    big.id = "big";
    // As large as the screen allows: digits are ~0.6em wide.
    const len = Math.max(4, face.big.length);
    big.style.fontSize = "min(" + (95 / (len * 0.6)).toFixed(1) + "vw, 48vh)";
    root.append(big, el("div", "word", face.word));
    if (face.sub) root.append(el("div", "sub fg-" + face.sub_tone, face.sub));
    if (face.message) {
      const m = el("div", "msg", face.message);
      m.id = "msg";
      if (lastMsg !== undefined && lastMsg !== face.message) m.classList.add("new");
      else if (lastMsg === face.message && app.querySelector("#msg.new")) m.classList.add("new");
      root.append(m);
    }
    lastMsg = face.message;
    if (face.next) root.append(el("div", "next", face.next));
    app.replaceChildren(root);
  }

  function drawOverlay(face) {
    document.documentElement.className = "overlay";
    document.body.className = "view-overlay";
    const size = Number(q.get("size") || 96);
    const root = el("div", "overlay fg-" + (face.tone === "calm" ? "ok" : face.tone));
    root.style.fontSize = size + "px";
    const big = el("div", "big", face.big);
    big.id = "big";
    root.append(big);
    if (q.get("title") !== "0") root.append(el("div", "title", face.title));
    app.replaceChildren(root);
  }

  function facts(now) {
    const f = el("div", "facts");
    const add = (label, value, cls) => {
      const s = el("span", null, label ? label + " " : null);
      s.append(el("b", cls, value));
      f.append(s);
    };
    // The terminal's words (the core's lateness_text): ON TIME, +4:30
    // BEHIND, 2:00 AHEAD. Only behind is an alarm.
    add("", state.lateness, state.late_s > 0 ? "late" : null);
    add("Ends", state.projected_end + " (plan " + state.planned_end + ")");
    for (const h of state.hard_ends) {
      add("Hard end " + h.day, h.at + " · in " + countdown(h.at_ms, now));
    }
    return f;
  }

  function clocks(now) {
    const c = el("div", "clocks");
    for (const tz of [state.event.tz].concat(state.event.also_show)) {
      let t;
      try {
        t = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit" }).format(new Date(now));
      } catch (e) { t = "?"; }
      c.append(el("span", null, tz + " " + t));
    }
    return c;
  }

  function liveLine(now) {
    const l = state.live;
    const d = el("div", "nowline");
    if (!l) { d.textContent = state.started ? "Between sessions" : "Not started"; return d; }
    const left = el("span", "left fg-" + l.signal, countdown(l.end_ms, now));
    left.id = "left";
    d.append(left, el("span", null, "LIVE " + l.title));
    const who = l.floor ? (l.floor.who || "Speaker " + l.floor.number) : l.who;
    if (who) d.append(el("div", null, who));
    return d;
  }

  function table(rows, cols) {
    const t = el("table");
    const hr = el("tr");
    for (const c of cols) hr.append(el("th", null, c[0]));
    t.append(hr);
    for (const r of rows) {
      const tr = el("tr", r.state);
      for (const c of cols) tr.append(el("td", typeof c[2] === "function" ? c[2](r) : c[2], c[1](r)));
      t.append(tr);
    }
    return t;
  }

  function drawBooth(now) {
    const root = el("div", "board");
    root.append(el("h1", null, state.event.title), liveLine(now), facts(now));
    const coming = state.rows.filter(r => ["due", "next", "later"].includes(r.state)).slice(0, 5);
    root.append(table(coming, [
      ["Projected", r => r.start + "–" + r.end, "t"],
      ["Plan", r => r.plan, "t"],
      ["Session", r => r.title],
      ["Speakers", r => r.speakers],
    ]));
    app.replaceChildren(root);
  }

  function drawSchedule(now) {
    const root = el("div", "board");
    root.append(el("h1", null, state.event.title), clocks(now), liveLine(now), facts(now));
    // A TV cannot scroll: keep the live row (or the next) near the top,
    // with at most one finished session above it, whatever the length.
    const first = state.rows.findIndex(r => ["live", "due", "next", "later"].includes(r.state));
    const from = Math.max(0, (first < 0 ? state.rows.length - 1 : first) - 1);
    const s = el("div", "scroll");
    if (from > 0) s.append(el("div", "earlier", from + " earlier " + (from === 1 ? "session" : "sessions")));
    s.append(table(state.rows.slice(from), [
      ["Projected", r => r.state === "cut" ? "cut" : r.start + "–" + r.end, "t"],
      ["Plan", r => r.plan, "t"],
      // The row's Δ as the terminal writes it (the core's delta_text):
      // red only when late; an early start is not an alarm.
      ["Δ", r => r.delta, r => "t" + (r.delta_s > 0 ? " late" : r.delta_s < 0 ? " early" : "")],
      ["Session", r => (r.state === "live" ? "LIVE · " : "") + r.title],
      ["Speakers", r => r.speakers],
    ]));
    root.append(s);
    app.replaceChildren(root);
  }

  // Changes arrive as a version number; EventSource reconnects by itself
  // and the first event after it makes the page catch up.
  const es = new EventSource("/api/events" + location.search);
  es.addEventListener("version", e => { if (!state || Number(e.data) !== state.version) load(); });
  load();
})();
