// fieldnode dashboard: one channel's plot (uPlot) with its raw, filtered and reported points and the ±e band.
import { el } from "./dom.js";
import { latestQuality, plotData } from "./plot-data.js";

const QUALITY_CLASSES = ["good", "uncertain", "bad"];

/**
 * A plot for channel `ch` appended to `container`; `update(raw, filtered,
 * reported, e)` redraws it. The plot's element carries what the tests read:
 * data-raw, data-filtered, data-reported (point counts), data-quality (the
 * latest), data-outside and data-checked (the bound check, plot-data.js).
 */
export function channelPlot(container, ch) {
  const div = el("div", undefined, "plot");
  div.dataset.channel = ch;
  const meta = el("div", undefined, "meta");
  div.append(meta);
  container.append(div);
  let plot;
  return {
    update(raw, filtered, reported, e) {
      const { data, outside, checked } = plotData(raw, filtered, reported, e);
      if (!plot) {
        plot = new uPlot({
          title: ch, width: 460, height: 200, legend: { live: false },
          series: [{},
            { label: "raw", stroke: "#999", paths: () => null, points: { show: true, size: 4, stroke: "#999", fill: "#999" } },
            { label: "filtered", stroke: "#3a3", width: 1 },
            { label: "reported", stroke: "#36c", width: 2, points: { show: true, size: 5 } },
            { label: "+e", stroke: "rgba(51,102,204,0.25)", width: 1, points: { show: false } },
            { label: "-e", stroke: "rgba(51,102,204,0.25)", width: 1, points: { show: false } }],
          bands: [{ series: [4, 5], fill: "rgba(51,102,204,0.12)" }],
        }, data, div);
      } else plot.setData(data);
      const latest = raw.length ? raw : reported;
      const quality = latestQuality(latest);
      div.dataset.raw = String(raw.length);
      div.dataset.filtered = String(filtered.length);
      div.dataset.reported = String(reported.length);
      div.dataset.quality = quality;
      div.dataset.outside = String(outside);
      div.dataset.checked = String(checked);
      const last = latest[latest.length - 1];
      const value = last && typeof last[1] === "number" ? ` = ${Number(last[1].toPrecision(6))}` : "";
      const kind = quality.split(":")[0];
      meta.replaceChildren(el("span", `quality: ${quality || "?"}`, QUALITY_CLASSES.includes(kind) ? kind : ""), el("span", `${value}  `),
        el("span", e === undefined ? "no compress bound" : `bound ±${e}: ${outside} of ${checked} filtered points outside`, outside ? "bad" : ""));
    },
    destroy() {
      plot?.destroy();
    },
  };
}
