// fieldnode dashboard: data over the simulator's WebSocket (which takes it over MQTT). No build step.
"use strict";
const nodes = new Map(); // id -> { state, birth, lastSeen, events, points: {ch: [[t, v, q]]} }
let selected;
const plots = new Map(); // channel -> uPlot
let ws;

function entry(id) {
  if (!nodes.has(id)) nodes.set(id, { events: [], points: {} });
  return nodes.get(id);
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function renderFleet() {
  const body = document.querySelector("#fleet tbody");
  body.replaceChildren();
  for (const id of [...nodes.keys()].sort()) {
    const n = nodes.get(id);
    const tr = document.createElement("tr");
    tr.className = "node" + (id === selected ? " selected" : "");
    tr.dataset.node = id;
    const last = n.events[n.events.length - 1];
    tr.append(cell(id), cell(n.state || "?", n.state === "offline" ? "offline" : ""), cell(n.lastSeen ? new Date(n.lastSeen).toLocaleTimeString() : ""),
      cell(n.birth && n.birth.outbox ? String(n.birth.outbox.depth) : ""), cell(String(n.events.length)),
      cell(last ? `${last.kind || ""} ${last.detail || ""}` : ""));
    tr.addEventListener("click", () => select(id));
    body.append(tr);
  }
}

function log(line) {
  const box = document.getElementById("log");
  const div = document.createElement("div");
  div.textContent = line;
  box.append(div);
  while (box.childNodes.length > 200) box.firstChild.remove();
  box.scrollTop = box.scrollHeight;
}

function select(id) {
  selected = id;
  document.getElementById("detail").hidden = false;
  document.getElementById("title").textContent = id;
  for (const plot of plots.values()) plot.destroy();
  plots.clear();
  document.getElementById("plots").replaceChildren();
  renderActuators();
  renderPlots();
  renderFleet();
}

function renderActuators() {
  const box = document.getElementById("actuators");
  box.replaceChildren();
  const n = nodes.get(selected);
  const actuators = (n && n.birth && Array.isArray(n.birth.actuators)) ? n.birth.actuators : [];
  for (const a of actuators) {
    for (const value of [true, false]) {
      const button = document.createElement("button");
      button.textContent = `${a.n} ${value ? "on" : "off"}`;
      button.dataset.act = `${a.n}-${value ? "on" : "off"}`;
      button.addEventListener("click", () => command("act", { name: a.n, value }));
      box.append(button);
    }
  }
}

function renderPlots() {
  const n = nodes.get(selected);
  if (!n) return;
  for (const [ch, series] of Object.entries(n.points)) {
    const data = [series.map((p) => p[0]), series.map((p) => p[1])];
    let plot = plots.get(ch);
    if (!plot) {
      const div = document.createElement("div");
      div.className = "plot";
      div.dataset.channel = ch;
      document.getElementById("plots").append(div);
      plot = new uPlot({ title: ch, width: 420, height: 180, series: [{}, { label: ch, stroke: "#36c", points: { show: true } }] }, data, div);
      plots.set(ch, plot);
    } else plot.setData(data);
    const last = series[series.length - 1];
    plot.root.dataset.points = String(series.length);
    plot.root.title = last && last[2] ? `quality: ${last[2]}` : "quality: good";
  }
}

function command(verb, args) {
  if (!selected || !ws || ws.readyState !== 1) return;
  ws.send(JSON.stringify({ node: selected, verb, args }));
}

function parseCommand(text) {
  const [verb, ...words] = text.trim().split(/\s+/);
  const args = {};
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq < 1) return undefined;
    const raw = word.slice(eq + 1);
    args[word.slice(0, eq)] = raw === "true" ? true : raw === "false" ? false : raw !== "" && !isNaN(Number(raw)) ? Number(raw) : raw;
  }
  return { verb, args };
}

document.getElementById("console").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("command");
  const parsed = parseCommand(input.value);
  if (!parsed || !parsed.verb) { log(`? ${input.value}: use verb key=value ...`); return; }
  log(`> ${input.value}`);
  command(parsed.verb, parsed.args);
  input.value = "";
});

function onMessage(m) {
  if (m.t === "snapshot") {
    for (const [id, n] of Object.entries(m.nodes)) nodes.set(id, n);
  } else if (m.t === "broker") {
    document.getElementById("broker").textContent = m.connected ? "(broker connected)" : "(broker offline)";
    return;
  } else if (m.t === "error") {
    log(`! ${m.message}`);
    return;
  } else if (m.t === "sent") {
    return;
  } else {
    const n = entry(m.node);
    n.lastSeen = m.at;
    if (m.t === "state") n.state = m.state;
    if (m.t === "birth") { n.birth = m.body; if (m.node === selected) renderActuators(); }
    if (m.t === "evt") { n.events.push(m.body); if (n.events.length > 20) n.events.shift(); }
    if (m.t === "resp" && m.node === selected) log(`< ${JSON.stringify(m.body)}`);
    if (m.t === "tele") {
      for (const p of m.points) {
        const s = (n.points[p.n] = n.points[p.n] || []);
        s.push([p.t, p.v, p.q]);
        if (s.length > 300) s.shift();
      }
      if (m.node === selected) renderPlots();
    }
  }
  if (!selected && nodes.size > 0) select([...nodes.keys()].sort()[0]);
  renderFleet();
}

function open() {
  ws = new WebSocket(`ws://${location.host}/ws`);
  ws.onmessage = (event) => onMessage(JSON.parse(event.data));
  ws.onclose = () => setTimeout(open, 2000);
}
open();
