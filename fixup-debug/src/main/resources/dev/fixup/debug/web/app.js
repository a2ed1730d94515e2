// The web view's page: polls the JSON endpoints and draws registers, tasks, faults and the exception table.
"use strict";

const $ = (id) => document.getElementById(id);
let selectedFault = null;
let lastFaults = "";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c === null || c === undefined ? "" : c);
  return e;
}

async function get(path) {
  const r = await fetch(path, { cache: "no-store" });
  return r.json();
}

async function post(path) {
  const r = await fetch(path, { method: "POST" });
  return r.json();
}

function sym(addr, name) {
  return name ? addr + " <" + name + ">" : addr;
}

function drawState(s) {
  $("program").textContent = s.program || "no program";
  const status = $("status");
  status.textContent = s.status + (s.status === "exited" ? " (" + s.exitStatus + ")" : "");
  status.className = "status " + s.status;
  const picker = $("picker");
  if (s.programs && s.programs.length) {
    picker.hidden = false;
    const sel = $("programs");
    if (sel.options.length !== s.programs.length) {
      sel.replaceChildren(...s.programs.map((p) => el("option", { value: p }, p)));
    }
  }
  const live = s.status === "running" || s.status === "paused";
  $("pause").disabled = s.status !== "running";
  $("step").disabled = s.status !== "paused";
  $("continue").disabled = s.status !== "paused";
  $("run").disabled = live;
  $("output").textContent = s.output || "";
  const regs = $("registers");
  regs.replaceChildren();
  if (s.registers) {
    $("where").textContent = s.eipSymbol ? "at " + s.eipSymbol : "";
    const names = Object.keys(s.registers);
    for (let i = 0; i < names.length; i += 2) {
      regs.append(el("tr", {}, ...names.slice(i, i + 2).flatMap((n) => [el("th", {}, n), el("td", {}, String(s.registers[n]))])));
    }
  }
  const tasks = $("tasks");
  tasks.replaceChildren();
  for (const t of s.tasks || []) {
    const box = el("div", { class: "task" }, el("strong", {}, t.pid + " " + t.comm),
      " " + t.state + (t.current ? " (current)" : "") + (s.tasksAtExit ? " — as it was at exit" : ""));
    for (const a of t.areas) {
      const pages = el("table", { class: "pages" }, el("tr", {}, ...["page", "pte", "P", "W", "U", "D", "COW"].map((h) => el("th", {}, h))));
      for (const p of a.pages) {
        pages.append(el("tr", {}, el("td", { class: "mono" }, p.va), el("td", { class: "mono" }, p.pte),
          ...[p.present, p.writable, p.user, p.dirty, p.cow].map((f) => el("td", { class: f ? "flag-on" : "flag-off" }, f ? "1" : "0"))));
      }
      box.append(el("details", { class: "vma" }, el("summary", {}, a.start + "-" + a.end + " " + a.perms + " " + a.kind + " (" + a.present + " present)"), pages));
    }
    tasks.append(box);
  }
}

function drawFaults(faults) {
  $("fault-count").textContent = faults.length + " (" + faults.filter((f) => f.fixup).length + " fixed up)";
  const signature = JSON.stringify(faults);
  if (signature === lastFaults) return;
  lastFaults = signature;
  const body = $("faults").tBodies[0];
  body.replaceChildren(...faults.map((f) => {
    const cls = "fault " + f.mode + (f.fixup ? " fixed" : "") + (selectedFault === f.id ? " selected" : "");
    return el("tr", { class: cls, "data-id": f.id, "data-eip": f.eip, onclick: () => showFault(f.id) },
      el("td", {}, String(f.id)), el("td", {}, String(f.pid)), el("td", {}, f.mode),
      el("td", {}, f.vector + " " + f.name + (f.errorCode ? " e=" + f.errorCode : "")),
      el("td", { class: "mono" }, sym(f.eip, f.eipSymbol)), el("td", { class: "mono" }, f.cr2),
      el("td", {}, f.decision || ""),
      el("td", { class: "mono" }, f.fixup ? sym(f.fixupFrom, f.eipSymbol) + " \u2192 " + sym(f.fixup, f.fixupSymbol) : "no entry"),
      el("td", {}, f.outcome || ""));
  }));
}

function drawExtable(entries) {
  $("extable-count").textContent = entries.length + " entries, " + entries.filter((e) => e.hits > 0).length + " used";
  $("extable").tBodies[0].replaceChildren(...entries.map((e) =>
    el("tr", { class: e.hits > 0 ? "hit" : "" }, el("td", { class: "mono" }, sym(e.insn, e.insnSymbol)),
      el("td", { class: "mono" }, sym(e.fixup, e.fixupSymbol)), el("td", { class: "hits" }, String(e.hits)))));
}

function listing(title, lines) {
  const t = el("table", { class: "listing" });
  for (const l of lines) {
    t.append(el("tr", { class: l.current ? "current" : "" }, el("td", {}, l.current ? "\u25b6" : ""),
      el("td", {}, l.address), el("td", {}, l.symbol ? "<" + l.symbol + ">" : ""), el("td", {}, l.bytes), el("td", { class: "text" }, l.text)));
  }
  return [el("h3", {}, title), t];
}

async function showFault(id) {
  selectedFault = id;
  for (const tr of $("faults").tBodies[0].rows) tr.classList.toggle("selected", Number(tr.dataset.id) === id);
  const f = await get("/api/fault?id=" + id);
  const d = $("detail");
  d.replaceChildren(el("h3", {}, "Fault #" + f.id + ": " + f.name + " in " + f.mode + " mode at " + sym(f.eip, f.eipSymbol) + ", cr2 " + f.cr2),
    el("p", {}, f.decision ? "do_page_fault: " + f.decision : ""), el("p", {}, "Outcome: " + (f.outcome || "")));
  d.append(...listing("Instructions around EIP", f.around || []));
  if (f.fixupCode) d.append(...listing("Fixup code (resumed at " + sym(f.fixup, f.fixupSymbol) + ")", f.fixupCode));
  d.dataset.fault = String(id);
}

async function refresh() {
  try {
    const s = await get("/api/state");
    drawState(s);
    drawFaults(await get("/api/faults"));
    drawExtable(await get("/api/extable"));
    document.body.dataset.status = s.status;
  } catch (e) {
    $("status").textContent = "server gone";
  }
}

$("pause").addEventListener("click", () => post("/api/pause").then(refresh));
$("step").addEventListener("click", () => post("/api/step").then(refresh));
$("continue").addEventListener("click", () => post("/api/continue").then(refresh));
$("run").addEventListener("click", () => {
  lastFaults = "";
  selectedFault = null;
  post("/api/run?program=" + encodeURIComponent($("programs").value)).then(refresh);
});
refresh();
setInterval(refresh, 700);
