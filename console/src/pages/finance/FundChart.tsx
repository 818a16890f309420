import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { formatFen } from '#shared/domain/money-format.ts';

// Only what this chart draws: the chunk stays small, and it loads with the fund page alone.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export interface FundParts {
  readonly availableFen: number;
  readonly reservedFen: number;
  readonly committedFen: number;
}

export interface FundChartTexts {
  readonly available: string;
  readonly reserved: string;
  readonly committed: string;
  readonly total: string;
  /** What the chart shows, in words (the container's accessible name). */
  readonly description: string;
}

const WAN_FEN = 1_000_000;

/**
 * The fund as one bar of its total, split into available, reserved and committed. Each part has a pattern
 * as well as a colour (ECharts' aria decals) and the figures are in the table beside: colour alone never
 * carries them.
 */
export function FundChart({ fund, texts }: { fund: FundParts; texts: FundChartTexts }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = element.current;
    if (container === null) return;
    const chart = echarts.init(container, undefined, { renderer: 'canvas' });
    const parts = [
      { name: texts.committed, fen: fund.committedFen, color: '#1f5fbf' },
      { name: texts.reserved, fen: fund.reservedFen, color: '#d48806' },
      { name: texts.available, fen: fund.availableFen, color: '#389e0d' },
    ];
    chart.setOption({
      aria: { enabled: true, decal: { show: true }, label: { description: texts.description } },
      tooltip: {
        trigger: 'item',
        formatter: (params: { seriesIndex?: number }) => {
          const part = parts[params.seriesIndex ?? 0];
          return part === undefined ? '' : `${part.name}: ${formatFen(part.fen)}`;
        },
      },
      legend: { top: 0, textStyle: { color: '#262626' } },
      grid: { left: 16, right: 24, top: 40, bottom: 24, containLabel: true },
      xAxis: {
        type: 'value',
        name: '万元',
        axisLabel: { color: '#434343' },
        max: Math.max(1, (fund.availableFen + fund.reservedFen + fund.committedFen) / WAN_FEN),
      },
      yAxis: { type: 'category', data: [texts.total], axisLabel: { color: '#262626' } },
      series: parts.map((part) => ({
        name: part.name,
        type: 'bar',
        stack: 'fund',
        barWidth: 48,
        itemStyle: { color: part.color },
        data: [part.fen / WAN_FEN],
      })),
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(container);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [fund.availableFen, fund.reservedFen, fund.committedFen, texts]);
  return <div ref={element} style={{ width: '100%', height: 180 }} data-testid="fund-chart" />;
}
