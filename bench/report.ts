/**
 * What the bench found, row by row as phases finish, so that a run cut short (deadline, Ctrl-C, an
 * error) still prints everything measured until then. One table, then its conditions.
 */
import type { ProcessUsage } from './procstat';
import { formatMs, type Summary } from './stats';
import { renderTable, type Column } from './table';

export interface Row {
  measurement: string;
  n?: number;
  ok?: number;
  latency?: Summary;
  rate?: string;
  usage?: ProcessUsage;
  notes?: string;
}

const COLUMNS: Column[] = [
  { title: 'measurement', align: 'left' },
  { title: 'n', align: 'right' },
  { title: 'ok', align: 'right' },
  { title: 'p50', align: 'right' },
  { title: 'p95', align: 'right' },
  { title: 'p99', align: 'right' },
  { title: 'rate / cadence', align: 'left' },
  { title: 'CPU % wrk/ingA/tmp/other', align: 'right' },
  { title: 'RSS MB wrk/ingA/tmp', align: 'right' },
  { title: 'notes', align: 'left' },
];

/** The processes the CPU and RSS columns show, in column order. */
export const WATCHED = ['worker', 'ingressA', 'temporal'] as const;

const number = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(Math.round(value)));

function cells(row: Row): string[] {
  const usage = row.usage;
  return [
    row.measurement,
    row.n === undefined ? '' : String(row.n),
    row.ok === undefined ? '' : String(row.ok),
    row.latency ? formatMs(row.latency.p50) : '',
    row.latency ? formatMs(row.latency.p95) : '',
    row.latency ? formatMs(row.latency.p99) : '',
    row.rate ?? '',
    usage ? [...WATCHED.map((name) => number(usage.cpu[name])), number(usage.otherCpu)].join('/') : '',
    usage ? WATCHED.map((name) => number(usage.rssMb[name])).join('/') : '',
    row.notes ?? '',
  ];
}

export class Report {
  private readonly rows: (Row | 'gap')[] = [];
  readonly conditions: string[] = [];
  readonly remarks: string[] = [];

  add(row: Row): void {
    this.rows.push(row);
  }

  /** An empty line between sections. */
  gap(): void {
    if (this.rows.length > 0 && this.rows.at(-1) !== 'gap') this.rows.push('gap');
  }

  render(): string {
    const rows = this.rows.filter((row, index) => row !== 'gap' || index < this.rows.length - 1).map((row) => (row === 'gap' ? [] : cells(row)));
    return [
      renderTable(COLUMNS, rows),
      '',
      'n/ok: requests (or payments) issued / answered well; in "hold" rows: payments waiting / polled at >= 80 % of the configured cadence.',
      'CPU: % of one core over the row\'s window (utime+stime from /proc); "other" = the rest of the machine, not the bench\'s processes. RSS at the window\'s end.',
      ...this.remarks.map((remark) => `! ${remark}`),
      '',
      'Conditions:',
      ...this.conditions.map((line) => `  ${line}`),
    ].join('\n');
  }
}
