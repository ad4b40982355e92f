// fieldnode dashboard: data over the simulator's WebSocket (which takes it over MQTT, plus the
// simulator's own node in process). Plain ES module, no build step. Every text from a node or the
// broker reaches the page through textContent / value, never as HTML.
import { append, el } from "./dom.js";
import { channelPlot } from "./plot-view.js";

const POINTS_MAX = 300;
// Names (channels, actuators) come from outside: kept in Maps, so "__proto__" is just a name.
const nodes = new Map(); // id -> { state, birth, lastSeen, events, points: Map ch -> [[t, v, q]], act: Map name -> {value, source}, alarms: Map key -> detail }
/** The simulator's own node: { node, faultTargets, faultKinds, points: Map ch -> {raw, filtered} }. */
let local;
let selected;
const plots = new Map(); // channel -> { div, plot }
let ws;
let renderTimer;

function entry(id) {
  if (!nodes.has(id)) nodes.set(id, { events: [], points: new Map(), act: new Map(), alarms: new Map() });
  return nodes.get(id);
}

const log = (line) => append(document.getElementById("log"), line);

function scheduleRender() {
  if (renderTimer) return;
  renderTimer = setTimeout(() => {
    renderTimer = undefined;
    renderFleet();
    renderDetail();
  }, 200);
}

const fleetRows = new Map(); // id -> its <tr>, kept across renders

/**
 * The fleet table, updated in place: each node keeps its row, only the cells'
 * text changes. Rebuilding the rows (5 times a second while data comes in)
 * lost clicks: a row replaced between press and release gets no click.
 */
function renderFleet() {
  const body = document.querySelector("#fleet tbody");
  const ids = [...nodes.keys()].sort();
  ids.forEach((id, i) => {
    const n = nodes.get(id);
    let tr = fleetRows.get(id);
    if (!tr) {
      tr = el("tr", undefined, "node");
      tr.dataset.node = id;
      for (let c = 0; c < 7; c++) tr.append(el("td"));
      tr.addEventListener("click", () => select(id));
      fleetRows.set(id, tr);
    }
    tr.className = "node" + (id === selected ? " selected" : "");
    const last = n.events[n.events.length - 1];
    const alarms = n.alarms.size;
    const cells = [[id], [n.state || "?", n.state === "offline" ? "offline" : ""],
      [n.lastSeen ? new Date(n.lastSeen).toLocaleTimeString() : ""],
      [n.birth && n.birth.outbox ? String(n.birth.outbox.depth) : ""], [String(alarms), alarms ? "raised" : ""],
      [String(n.events.length)], [last ? `${last.kind || ""} ${last.detail || ""}` : ""]];
    cells.forEach(([text, cls], c) => {
      const td = tr.children[c];
      if (td.textContent !== text) td.textContent = text;
      if (td.className !== (cls || "")) td.className = cls || "";
    });
    // Moved only when out of place (a new node sorted in).
    if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
  });
}

function select(id) {
  selected = id;
  document.getElementById("detail").hidden = false;
  document.getElementById("title").textContent = id;
  for (const shown of plots.values()) shown.destroy();
  plots.clear();
  document.getElementById("plots").replaceChildren();
  renderFaults();
  renderConsole();
  scheduleRender();
}

function renderDetail() {
  if (!selected) return;
  renderActuators();
  renderAlarms();
  renderPlots();
}

function renderActuators() {
  const box = document.getElementById("actuators");
  const n = nodes.get(selected);
  const actuators = n && n.birth && Array.isArray(n.birth.actuators) ? n.birth.actuators : [];
  // Redrawn only when something changed, so a value being typed in a register's box stays.
  const signature = JSON.stringify([selected, actuators, n ? [...n.act] : []]);
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  box.replaceChildren();
  if (actuators.length === 0) box.append(el("span", "none in the birth"));
  for (const a of actuators) {
    if (!a || typeof a.n !== "string") continue;
    const row = el("div", undefined, "actuator");
    row.dataset.actuator = a.n;
    const state = n.act.get(a.n);
    const value = state && typeof state.value === "number" ? state.value : undefined;
    const onOff = a.kind === undefined || a.kind === "relay" || a.kind === "modbus_coil";
    const text = value === undefined ? "?" : onOff ? (value > 0 ? "on" : "off") : a.kind === "pwm" ? `${value}%` : String(value);
    const span = el("span", `${a.n}: ${text}${state ? ` (${String(state.source)})` : ""}`, "state");
    span.dataset.value = value === undefined ? "" : String(value);
    row.append(span);
    const button = (label, key, value) => {
      const b = el("button", `${a.n} ${label}`);
      b.type = "button";
      b.dataset.act = `${a.n}-${key}`;
      b.addEventListener("click", () => command("act", { name: a.n, value: value() }));
      row.append(b);
    };
    if (onOff) for (const on of [true, false]) button(on ? "on" : "off", on ? "on" : "off", () => on);
    else if (a.kind === "pwm") for (const v of [0, 50, 100]) button(`${v}%`, String(v), () => v);
    else {
      // A register in its engineering unit (its min/max are the node's to check): a number to set.
      const input = el("input");
      input.type = "number";
      input.step = "any";
      input.dataset.actValue = a.n;
      row.append(input);
      button("set", "set", () => Number(input.value));
    }
    box.append(row);
  }
}

function renderAlarms() {
  const box = document.getElementById("alarms");
  box.replaceChildren();
  const n = nodes.get(selected);
  const active = n ? [...n.alarms.values()] : [];
  box.dataset.active = String(active.length);
  if (active.length === 0) box.append(el("span", "none active"));
  for (const detail of active) box.append(el("div", detail, "raised"));
}

function renderFaults() {
  const box = document.getElementById("faults");
  const isLocal = local && local.node === selected;
  box.hidden = !isLocal;
  if (!isLocal) return;
  const select = document.getElementById("fault-target");
  const was = select.value;
  select.replaceChildren();
  for (const target of local.faultTargets) {
    const option = el("option", target);
    option.value = target;
    select.append(option);
  }
  if (local.faultTargets.includes(was)) select.value = was;
  const buttons = document.getElementById("fault-buttons");
  buttons.replaceChildren();
  for (const kind of local.faultKinds) {
    const button = el("button", kind);
    button.type = "button";
    button.dataset.fault = kind;
    button.addEventListener("click", () => {
      const seconds = document.getElementById("fault-for").value.trim();
      consoleLine(`sim fault ${select.value} ${kind}${seconds ? ` for ${seconds}` : ""}`);
    });
    buttons.append(button);
  }
}

function renderConsole() {
  const isLocal = local && local.node === selected;
  document.getElementById("console-box").hidden = !isLocal;
}

function boundOf(n, ch) {
  const channels = n && n.birth && Array.isArray(n.birth.channels) ? n.birth.channels : [];
  const c = channels.find((c) => c && c.n === ch);
  return c && typeof c.e === "number" ? c.e : undefined;
}

function renderPlots() {
  const n = nodes.get(selected) || { points: new Map() };
  const localPoints = local && local.node === selected ? local.points : new Map();
  const channels = new Set([...n.points.keys(), ...localPoints.keys()]);
  for (const ch of [...channels].sort()) {
    const taps = localPoints.get(ch) || {};
    const raw = taps.raw || [];
    const filtered = taps.filtered || [];
    const reported = n.points.get(ch) || [];
    const e = boundOf(n, ch);
    let shown = plots.get(ch);
    if (!shown) {
      shown = channelPlot(document.getElementById("plots"), ch);
      plots.set(ch, shown);
    }
    shown.update(raw, filtered, reported, e);
  }
}

function send(message) {
  if (!ws || ws.readyState !== 1) {
    log("! not connected to the dashboard");
    return;
  }
  ws.send(JSON.stringify(message));
}

function command(verb, args) {
  if (selected) send({ node: selected, verb, args });
}

function consoleLine(line) {
  if (selected) send({ node: selected, console: line });
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

document.getElementById("mqtt-command").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("command");
  const parsed = parseCommand(input.value);
  if (!parsed || !parsed.verb) {
    log(`? ${input.value}: use verb key=value ...`);
    return;
  }
  log(`> ${input.value}`);
  command(parsed.verb, parsed.args);
  input.value = "";
});

document.getElementById("console").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("console-line");
  if (input.value.trim() === "") return;
  consoleLine(input.value);
  input.value = "";
});

document.getElementById("fault-clear").addEventListener("click", () => consoleLine("sim clear"));

function onLocal(m) {
  if (m.info) {
    if (!local || local.node !== m.info.node) local = { points: new Map() };
    Object.assign(local, { node: m.info.node, faultTargets: m.info.faultTargets, faultKinds: m.info.faultKinds });
    if (local.node === selected) {
      renderFaults();
      renderConsole();
    }
  }
  if (!local) return;
  for (const { n, k, p } of m.points) {
    if (k !== "raw" && k !== "filtered") continue;
    if (!local.points.has(n)) local.points.set(n, { raw: [], filtered: [] });
    const list = local.points.get(n)[k];
    list.push(p);
    if (list.length > POINTS_MAX) list.shift();
  }
  const out = document.getElementById("console-out");
  for (const line of m.console) append(out, line);
}

function onMessage(m) {
  if (m.t === "snapshot") {
    document.getElementById("broker").textContent = m.broker ? "(broker connected)" : "(broker offline)";
    for (const [id, n] of Object.entries(m.nodes))
      nodes.set(id, { ...n, points: new Map(Object.entries(n.points || {})), act: new Map(Object.entries(n.act || {})), alarms: new Map(Object.entries(n.alarms || {})) });
    if (m.local) {
      const points = new Map(Object.entries(m.local.points || {}).map(([ch, taps]) => [ch, { raw: taps.raw || [], filtered: taps.filtered || [] }]));
      local = { node: m.local.node, faultTargets: m.local.faultTargets, faultKinds: m.local.faultKinds, points };
      const out = document.getElementById("console-out");
      out.replaceChildren();
      for (const line of m.local.console) append(out, line);
    }
  } else if (m.t === "broker") {
    document.getElementById("broker").textContent = m.connected ? "(broker connected)" : "(broker offline)";
    return;
  } else if (m.t === "error") {
    log(`! ${m.message}`);
    append(document.getElementById("console-out"), `! ${m.message}`);
    return;
  } else if (m.t === "sent") {
    return;
  } else if (m.t === "local") {
    onLocal(m);
  } else {
    const n = entry(m.node);
    n.lastSeen = m.at;
    if (m.t === "state") n.state = m.state;
    if (m.t === "birth") n.birth = m.body;
    if (m.t === "evt") {
      n.events.push(m.body);
      if (n.events.length > 20) n.events.shift();
    }
    if (m.t === "states") {
      n.act = new Map(Object.entries(m.act || {}));
      n.alarms = new Map(Object.entries(m.alarms || {}));
    }
    if (m.t === "resp" && m.node === selected) log(`< ${JSON.stringify(m.body)}`);
    if (m.t === "tele") {
      for (const p of m.points) {
        if (!n.points.has(p.n)) {
          if (n.points.size >= 64) continue;
          n.points.set(p.n, []);
        }
        const s = n.points.get(p.n);
        s.push([p.t, p.v, p.q]);
        if (s.length > POINTS_MAX) s.shift();
      }
    }
  }
  if (!selected && nodes.size > 0) select(local && nodes.has(local.node) ? local.node : [...nodes.keys()].sort()[0]);
  else if (!selected && local) select(local.node);
  scheduleRender();
}

function open() {
  ws = new WebSocket(`ws://${location.host}/ws`);
  ws.onmessage = (event) => onMessage(JSON.parse(event.data));
  ws.onclose = () => setTimeout(open, 2000);
}
open();
