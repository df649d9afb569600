/* global echarts */
'use strict';
// The dashboard's charts, drawn with Apache ECharts. The SVG renderer keeps them crisp in screenshots and
// lets a test see that something was drawn.
window.Charts = (() => {
  const instances = {};
  const COLORS = {
    anger: '#d64545',
    disgust: '#8d6e63',
    fear: '#7c5cbf',
    joy: '#f0b429',
    neutral: '#9aa5b1',
    sadness: '#3f83c4',
    surprise: '#27ab83',
    SUPPORT: '#2f9e44',
    OPPOSE: '#c92a2a',
    NEUTRAL: '#868e96',
  };
  const color = (label) => COLORS[label] || '#52606d';

  function chart(id) {
    instances[id] = instances[id] || echarts.init(document.getElementById(id), null, { renderer: 'svg' });
    return instances[id];
  }

  /** Counts per label as bars; clicking a bar calls onPick(label). */
  function bars(id, counts, onPick) {
    const labels = Object.keys(counts);
    const c = chart(id);
    c.setOption(
      {
        grid: { left: 60, right: 10, top: 10, bottom: 30 },
        tooltip: {},
        xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 10 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', data: labels.map((l) => ({ value: counts[l], itemStyle: { color: color(l) } })) }],
      },
      true,
    );
    c.off('click');
    if (onPick) c.on('click', (p) => onPick(p.name));
  }

  function heatmap(id, matrix) {
    const emotions = Object.keys(matrix);
    const stances = Object.keys(matrix[emotions[0]] || {});
    const data = emotions.flatMap((e, x) => stances.map((s, y) => [x, y, matrix[e][s]]));
    const max = Math.max(1, ...data.map((d) => d[2]));
    chart(id).setOption(
      {
        tooltip: { formatter: (p) => `${emotions[p.value[0]]} × ${stances[p.value[1]]}: ${p.value[2]}` },
        grid: { left: 80, right: 10, top: 10, bottom: 60 },
        xAxis: { type: 'category', data: emotions, axisLabel: { interval: 0, rotate: 30, fontSize: 10 } },
        yAxis: { type: 'category', data: stances },
        visualMap: {
          min: 0,
          max,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
          itemHeight: 80,
          calculable: false,
          show: false,
        },
        series: [{ type: 'heatmap', data, label: { show: true } }],
      },
      true,
    );
  }

  function timeline(id, tl, task) {
    const labels = Object.keys((tl.buckets[0] || {})[task] || {});
    const fmt = (iso) => (tl.interval === 'month' ? iso.slice(0, 7) : iso.slice(0, 10));
    chart(id).setOption(
      {
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 50, right: 10, top: 30, bottom: 30 },
        xAxis: { type: 'category', data: tl.buckets.map((b) => fmt(b.start)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: labels.map((l) => ({
          name: l,
          type: 'line',
          smooth: true,
          showSymbol: tl.buckets.length < 40,
          itemStyle: { color: color(l) },
          data: tl.buckets.map((b) => b[task][l]),
        })),
      },
      true,
    );
  }

  function hashtags(id, top, onPick) {
    const rows = [...top].reverse();
    const c = chart(id);
    c.setOption(
      {
        tooltip: {},
        grid: { left: 110, right: 20, top: 10, bottom: 20 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map((r) => r.key) },
        series: [{ type: 'bar', data: rows.map((r) => r.count), itemStyle: { color: '#3f83c4' } }],
      },
      true,
    );
    c.off('click');
    if (onPick) c.on('click', (p) => onPick(p.name));
  }

  window.addEventListener('resize', () => Object.values(instances).forEach((c) => c.resize()));
  return { bars, heatmap, timeline, hashtags };
})();
