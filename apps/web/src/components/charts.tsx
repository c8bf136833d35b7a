import { DataVizPalette, DonutChart, getColorFromToken, HorizontalBarChart, VerticalBarChart, VerticalStackedBarChart } from '@fluentui/react-charts';

/*
 * The home dashboards' charts (@fluentui/react-charts). This module is only ever imported
 * lazily (React.lazy in DashboardPage), so the charts library stays out of the portal's initial
 * JavaScript. Every chart here has its text alternative beside it: the same figures as a table.
 */

const palette = [DataVizPalette.color1, DataVizPalette.color2, DataVizPalette.color3, DataVizPalette.color4, DataVizPalette.color5, DataVizPalette.color6].map((token) =>
  getColorFromToken(token),
);
const colorAt = (i: number): string => palette[i % palette.length] ?? '#0f6cbd';

export interface BarPoint {
  /** The axis label (a month's name). */
  label: string;
  value: number;
  /** The value as the callout shows it (money, count). */
  valueText: string;
  detail: string;
}

/** Vertical bars, one per month: orders' value (or count) by month. */
export function MonthlyBarChart({ title, points, culture }: { title: string; points: readonly BarPoint[]; culture: string }) {
  return (
    <VerticalBarChart
      chartTitle={title}
      culture={culture}
      height={260}
      hideLegend
      useSingleColor
      data={points.map((p) => ({ x: p.label, y: p.value, legend: p.label, color: colorAt(0), xAxisCalloutData: p.detail, yAxisCalloutData: p.valueText }))}
    />
  );
}

export interface UsageLine {
  label: string;
  used: number;
  /** Null: no limit set; the bar is then full. */
  limit: number | null;
  usedText: string;
}

/** One horizontal bar per credit line: used this month against the limit. */
export function UsageBarChart({ lines, usedLabel, culture }: { lines: readonly UsageLine[]; usedLabel: string; culture: string }) {
  return (
    <HorizontalBarChart
      culture={culture}
      chartDataMode="percentage"
      data={lines.map((l) => ({
        chartTitle: l.label,
        chartData: [
          {
            legend: usedLabel,
            horizontalBarChartdata: { x: l.used, total: Math.max(l.limit ?? l.used, l.used, 1) },
            color: colorAt(l.limit !== null && l.used >= l.limit ? 3 : 0),
            xAxisCalloutData: l.label,
            yAxisCalloutData: l.usedText,
          },
        ],
      }))}
    />
  );
}

export interface Slice {
  label: string;
  value: number;
}

/** A donut of parts of a whole (subscriptions by product). */
export function SliceDonutChart({ title, slices, culture }: { title: string; slices: readonly Slice[]; culture: string }) {
  return (
    <DonutChart
      culture={culture}
      height={240}
      innerRadius={55}
      hideLabels={false}
      data={{ chartTitle: title, chartData: slices.map((s, i) => ({ legend: s.label, data: s.value, color: colorAt(i) })) }}
    />
  );
}

export interface StackedColumn {
  label: string;
  parts: { legend: string; value: number }[];
}

/** Stacked columns (partners per country, stacked by program). */
export function StackedColumnChart({ title, columns, legends, culture }: { title: string; columns: readonly StackedColumn[]; legends: readonly string[]; culture: string }) {
  return (
    <VerticalStackedBarChart
      chartTitle={title}
      culture={culture}
      height={260}
      barWidth={40}
      data={columns.map((c) => ({
        xAxisPoint: c.label,
        chartData: c.parts.map((p) => ({ legend: p.legend, data: p.value, color: colorAt(Math.max(legends.indexOf(p.legend), 0)) })),
      }))}
    />
  );
}
