import { useQuery } from '@tanstack/react-query';
import type { Chart, ChartConfiguration } from 'chart.js';
import { useMemo, useState, type ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { useClinic } from '../../data';
import { setQuery, useLocation } from '../../router';
import { addDays, clinicDate, longDate } from '../../time';
import { ClinicDayBar } from '../../ui/clinic-day-bar';
import { ProblemAlert } from '../../ui/problem-alert';
import { NotYourClinic } from '../day-board/day-board';
import { ChartCanvas } from './chart-canvas';
import { attendanceTrend, heatmapGrid, heatmapKinds, KIND_LABEL, percent, remsByWeek, WEEKDAYS } from './report-series';

const ACCENT = '#1d4e89';
const DANGER = '#a1171d';
const WARN = '#b36b00';
const MUTED = '#8a94a3';

/** Admin and front desk: how full the chairs are, who does not come, how courses go, whether REMS forms are on time. */
export default function Reports() {
  const { clinic, clinics, forbidden, isLoading } = useClinic();
  const { query } = useLocation();
  const today = clinicDate(new Date(), clinic?.timezone);
  const to = query.get('to') ?? today;
  const from = query.get('from') ?? addDays(to, -27);

  if (forbidden) return <NotYourClinic name={forbidden} />;
  if (!clinic) {
    return (
      <main id="main" className="screen" aria-busy={isLoading}>
        <h1>Reports</h1>
        <p>{isLoading ? 'Loading clinics…' : 'You are not assigned to a clinic.'}</p>
      </main>
    );
  }
  return (
    <main id="main" className="screen reports">
      <h1>
        Reports <span className="subtitle">{clinic.name}</span>
      </h1>
      <ClinicDayBar clinics={clinics} clinic={clinic} />
      <div className="toolbar" role="group" aria-label="Dates">
        <label className="field-inline">
          <span>From</span>
          <input type="date" value={from} max={to} required onChange={(e) => e.target.value && setQuery({ from: e.target.value })} />
        </label>
        <label className="field-inline">
          <span>To</span>
          <input type="date" value={to} min={from} required onChange={(e) => e.target.value && setQuery({ to: e.target.value })} />
        </label>
        <span className="toolbar-date">
          {longDate(from)} – {longDate(to)}
        </span>
      </div>
      <Utilization locationId={clinic.id} from={from} to={to} />
      <Attendance locationId={clinic.id} from={from} to={to} />
      <Courses locationId={clinic.id} from={from} to={to} />
      <Rems locationId={clinic.id} from={from} to={to} />
    </main>
  );
}

interface Range {
  locationId: string;
  from: string;
  to: string;
}

/** A report section: its chart, and its numbers as a table behind one button. */
function Section({ id, title, note, chart, table, error }: { id: string; title: string; note?: string; chart: ReactNode; table: ReactNode; error: unknown }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {note && <p className="muted">{note}</p>}
      <ProblemAlert error={error} />
      {chart}
      <Button className="btn btn-quiet" aria-expanded={open} aria-controls={`${id}-numbers`} onPress={() => setOpen(!open)}>
        {open ? 'Hide the numbers' : 'Show the numbers'}
      </Button>
      <div id={`${id}-numbers`} className="numbers" hidden={!open}>
        {open && table}
      </div>
    </section>
  );
}

function Utilization({ locationId, from, to }: Range) {
  const report = useQuery({
    queryKey: ['report', 'utilization', locationId, from, to],
    queryFn: async () => unwrap(await api.GET('/api/reports/utilization', { params: { query: { locationId, from, to } } })),
  });
  const kinds = heatmapKinds(report.data?.heatmap ?? []);
  const [chosen, setChosen] = useState<string | undefined>();
  const kind = chosen && kinds.includes(chosen) ? chosen : kinds[0];
  const grid = useMemo(() => heatmapGrid(report.data?.heatmap ?? [], kind ?? ''), [report.data, kind]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'Utilization',
            data: grid.weekdays.flatMap((w) => grid.hours.map((h) => ({ x: `${h}:00`, y: WEEKDAYS[w], v: grid.at(w, h)?.utilization ?? 0 }))),
            backgroundColor: (context: { raw?: unknown }) => `rgba(29, 78, 137, ${0.08 + 0.92 * ((context.raw as { v: number } | undefined)?.v ?? 0)})`,
            borderColor: '#ffffff',
            borderWidth: 1,
            width: ({ chart }: { chart: Chart }) => (chart.chartArea?.width ?? 0) / Math.max(1, grid.hours.length) - 2,
            height: ({ chart }: { chart: Chart }) => (chart.chartArea?.height ?? 0) / Math.max(1, grid.weekdays.length) - 2,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: { label: (item) => `${(item.raw as { y: string }).y} ${(item.raw as { x: string }).x}: ${percent((item.raw as { v: number }).v)}` },
          },
        },
        scales: {
          x: { type: 'category', labels: grid.hours.map((h) => `${h}:00`), grid: { display: false } },
          y: { type: 'category', labels: grid.weekdays.map((w) => WEEKDAYS[w]), offset: true, reverse: true, grid: { display: false } },
        },
      },
    }),
    [grid],
  );
  return (
    <Section
      id="utilization"
      title="Utilization by weekday and hour"
      note="Minutes booked (no-shows included) of the minutes open, per hour of the clinic's day."
      error={report.error}
      chart={
        kind && (
          <>
            <label className="field-inline">
              <span>Resources</span>
              <select value={kind} onChange={(e) => setChosen(e.target.value)}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k] ?? k}
                  </option>
                ))}
              </select>
            </label>
            <ChartCanvas
              config={config}
              label={`Heatmap of ${KIND_LABEL[kind] ?? kind} utilization by weekday and hour; the numbers are in the table below.`}
            />
          </>
        )
      }
      table={
        <>
          <table className="table heatmap">
            <caption>{KIND_LABEL[kind ?? ''] ?? kind}: share of open minutes booked</caption>
            <thead>
              <tr>
                <th scope="col">Weekday</th>
                {grid.hours.map((h) => (
                  <th key={h} scope="col">
                    {h}:00
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {grid.weekdays.map((w) => (
                <tr key={w}>
                  <th scope="row">{WEEKDAYS[w]}</th>
                  {grid.hours.map((h) => (
                    <td key={h}>{percent(grid.at(w, h)?.utilization)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table">
            <caption>Per resource</caption>
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Open min</th>
                <th scope="col">Booked min</th>
                <th scope="col">Used min</th>
                <th scope="col">Utilization</th>
              </tr>
            </thead>
            <tbody>
              {(report.data?.rows ?? []).map((r) => (
                <tr key={r.resourceId}>
                  <th scope="row">{r.resourceName}</th>
                  <td>{r.openMinutes}</td>
                  <td>{r.bookedMinutes}</td>
                  <td>{r.usedMinutes}</td>
                  <td>{percent(r.utilization)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      }
    />
  );
}

function Attendance({ locationId, from, to }: Range) {
  const report = useQuery({
    queryKey: ['report', 'attendance', locationId, from, to],
    queryFn: async () => unwrap(await api.GET('/api/reports/attendance', { params: { query: { locationId, from, to, groupBy: 'week' } } })),
  });
  const weeks = useMemo(() => attendanceTrend(report.data?.rows ?? []), [report.data]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: weeks.map((w) => w.week),
        datasets: [
          { label: 'No-shows', data: weeks.map((w) => (w.noShowRate ?? 0) * 100), borderColor: DANGER, backgroundColor: DANGER },
          { label: 'Late cancellations (under 24 h)', data: weeks.map((w) => (w.lateCancellationRate ?? 0) * 100), borderColor: WARN, backgroundColor: WARN },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: '% of appointments with an outcome' } } } },
    }),
    [weeks],
  );
  return (
    <Section
      id="attendance"
      title="No-shows and late cancellations by week"
      error={report.error}
      chart={<ChartCanvas config={config} label="Line chart of the weekly no-show and late-cancellation rates; the numbers are in the table below." />}
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">With an outcome</th>
              <th scope="col">No-shows</th>
              <th scope="col">Late cancellations</th>
              <th scope="col">No-show rate</th>
              <th scope="col">Late-cancel rate</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">{longDate(w.week)}</th>
                <td>{w.decided}</td>
                <td>{w.noShow}</td>
                <td>{w.lateCancelled}</td>
                <td>{percent(w.noShowRate)}</td>
                <td>{percent(w.lateCancellationRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function Courses({ locationId, from, to }: Range) {
  const report = useQuery({
    queryKey: ['report', 'courses', locationId, from, to],
    queryFn: async () => unwrap(await api.GET('/api/reports/courses', { params: { query: { locationId, from, to } } })),
  });
  const rows = report.data?.rows ?? [];
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((r) => r.protocol),
        datasets: [
          { label: 'Response', data: rows.map((r) => (r.responseRate ?? 0) * 100), backgroundColor: ACCENT },
          { label: 'Remission', data: rows.map((r) => (r.remissionRate ?? 0) * 100), backgroundColor: '#2f8f5b' },
          { label: 'Stopped', data: rows.map((r) => (r.started ? (r.stopped / r.started) * 100 : 0)), backgroundColor: MUTED },
        ],
      },
      options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: '% of courses started' } } } },
    }),
    [rows],
  );
  return (
    <Section
      id="courses"
      title="Course outcomes"
      note="Courses whose first session falls in the dates; response and remission of the courses with a baseline and a later score (MADRS, else HAM-D17, else PHQ-9)."
      error={report.error}
      chart={<ChartCanvas config={config} label="Bar chart of response, remission and stopped rates per protocol; the numbers are in the table below." />}
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Protocol</th>
              <th scope="col">Started</th>
              <th scope="col">Completed</th>
              <th scope="col">Stopped</th>
              <th scope="col">Sessions per course</th>
              <th scope="col">With scores</th>
              <th scope="col">Response</th>
              <th scope="col">Remission</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.protocol}>
                <th scope="row">{r.protocol}</th>
                <td>{r.started}</td>
                <td>{r.completed}</td>
                <td>{r.stopped}</td>
                <td>{r.sessionsCompletedPerCourse ?? '–'}</td>
                <td>{r.withOutcomes}</td>
                <td>{percent(r.responseRate)}</td>
                <td>{percent(r.remissionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function Rems({ locationId, from, to }: Range) {
  const report = useQuery({
    queryKey: ['report', 'rems', locationId, from, to],
    queryFn: async () => unwrap(await api.GET('/api/reports/rems', { params: { query: { locationId, from, to, groupBy: 'week' } } })),
  });
  const weeks = useMemo(() => remsByWeek(report.data?.rows ?? []), [report.data]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: weeks.map((w) => w.periodStart),
        datasets: [
          { label: 'On time', data: weeks.map((w) => w.submittedOnTime), backgroundColor: ACCENT },
          { label: 'Late', data: weeks.map((w) => w.submittedLate), backgroundColor: WARN },
          { label: 'Overdue now', data: weeks.map((w) => w.overdueNow), backgroundColor: DANGER },
          { label: 'Not due yet', data: weeks.map((w) => w.notYetDue), backgroundColor: MUTED },
        ],
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'forms falling due' } } } },
    }),
    [weeks],
  );
  return (
    <Section
      id="rems"
      title="REMS monitoring forms by the week they fall due"
      note="A form is due 7 days after the dose."
      error={report.error}
      chart={
        <ChartCanvas
          config={config}
          label="Stacked bar chart of REMS forms on time, late, overdue and not yet due per week; the numbers are in the table below."
        />
      }
      table={
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Due</th>
              <th scope="col">On time</th>
              <th scope="col">Late</th>
              <th scope="col">Overdue now</th>
              <th scope="col">Not due yet</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.periodStart}>
                <th scope="row">{longDate(w.periodStart)}</th>
                <td>{w.due}</td>
                <td>{w.submittedOnTime}</td>
                <td>{w.submittedLate}</td>
                <td>{w.overdueNow}</td>
                <td>{w.notYetDue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
