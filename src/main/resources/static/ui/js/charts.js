// Interactive plots with uPlot (served from its WebJar): drag to zoom, double-click to reset,
// click a legend entry to hide its series.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const PALETTE = ['#0b5cad', '#b35900', '#1a6b2f', '#8e2c8a', '#b3261e', '#3d6b73', '#6b5b00', '#4a5360'];

export function colour(i) {
  return PALETTE[i % PALETTE.length];
}

/**
 * A tick label: plain decimals between 10^-3 and 10^5, scientific notation outside (uPlot's default
 * rounds dK ~ 1e-5 to "0"), with at most 3 significant digits and no trailing zeros: 2.5e-5, 1e-6.
 */
export function tickLabel(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(3)));
  const [mantissa, exponent] = v.toExponential(2).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/** An axis' labels: {@link tickLabel} for each tick uPlot chose. */
export function tickLabels(u, splits) {
  return splits.map(tickLabel);
}

function width(container) {
  return Math.max(320, Math.min(container.clientWidth || 560, 900) - 20);
}

/**
 * A line plot of several series over one x.
 *
 * @param container element to draw in
 * @param x         x values
 * @param series    [{label, values, colour?, points?}] values aligned with x (null = gap)
 * @param opts      {xLabel, yLabel, logX, logY, title}
 */
export function linePlot(container, x, series, opts = {}) {
  const data = [x, ...series.map(s => s.values)];
  const plot = new uPlot({
    width: width(container),
    height: opts.height || 260,
    title: opts.title,
    legend: {live: false},
    scales: {x: {time: false, distr: opts.logX ? 3 : 1}, y: {distr: opts.logY ? 3 : 1}},
    axes: [{label: opts.xLabel, stroke: '#1b1f24', values: tickLabels},
      {label: opts.yLabel, stroke: '#1b1f24', size: 70, values: tickLabels}],
    series: [{label: opts.xLabel || 'x'}, ...series.map((s, i) => ({
      label: s.label,
      stroke: s.colour || colour(i),
      width: s.dash ? 1.5 : 2,
      dash: s.dash,
      spanGaps: true,
      paths: s.points ? () => null : undefined,
      points: s.points ? {show: true, size: 7, fill: s.colour || colour(i)} : {show: false},
    }))],
  }, data, container);
  container.dataset.series = String(series.length);
  return plot;
}

/**
 * A log-log scaling plot: for each group its measured points and its fitted power law
 * y = e^intercept m^slope, over the union of the groups' widths.
 *
 * @param groups [{label, points: [[m, y]], slope, intercept}]
 */
export function scalingPlot(container, groups, opts = {}) {
  const xs = [...new Set(groups.flatMap(g => g.points.map(p => p[0])))].sort((a, b) => a - b);
  const series = [];
  groups.forEach((g, i) => {
    const byX = new Map();
    g.points.forEach(([m, y]) => {
      if (!byX.has(m)) byX.set(m, []);
      byX.get(m).push(y);
    });
    // one point per width: the seeds' geometric mean (every seed is in the fit and the table)
    series.push({label: g.label, colour: colour(i), points: true,
      values: xs.map(m => byX.has(m) ? Math.exp(byX.get(m).reduce((a, y) => a + Math.log(y), 0) / byX.get(m).length) : null)});
    if (Number.isFinite(g.slope)) {
      const lo = Math.min(...g.points.map(p => p[0]));
      const hi = Math.max(...g.points.map(p => p[0]));
      series.push({label: `${g.label} fit, slope ${g.slope.toFixed(3)}`, colour: colour(i), dash: [6, 4],
        values: xs.map(m => m >= lo && m <= hi ? Math.exp(g.intercept) * m ** g.slope : null)});
    }
  });
  return linePlot(container, xs, series, {...opts, logX: true, logY: true});
}
