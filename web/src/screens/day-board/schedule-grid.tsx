import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { Button } from 'react-aria-components';
import type { Appointment, Resource } from '../../api/client';
import { STATUS_LABEL, TYPE_LABEL } from '../../data';
import { clinicMinutes, fromMinutes } from '../../time';

/** Visits (intake, follow-up) hold a provider's time, no room: they get a column of their own. */
export const VISITS = 'visits';
/** How far the pointer moves before a press on a block becomes a drag (a shorter move is a click). */
const DRAG_THRESHOLD_PX = 6;

interface GridProps {
  zone: string;
  opens: number;
  closes: number;
  slotMinutes: number;
  columns: Array<Pick<Resource, 'id' | 'name' | 'kind'>>;
  appointments: Appointment[];
  names: (patientId: string) => string;
  loading: boolean;
  onFreeSlot?: (resourceId: string, time: string) => void;
  /**
   * Pointer users drag a scheduled block onto a free slot: the block's start moves there, on that resource.
   * Keyboard users move it in the appointment's dialog (Reschedule…), which offers the same.
   */
  onMove?: (appointment: Appointment, resourceId: string, startTime: string) => void;
  onOpen: (appointmentId: string) => void;
}

interface Block {
  appointment: Appointment;
  column: number;
  from: number;
  to: number;
  /** The observation part within this block, as minutes of the day. */
  observation?: [number, number];
}

/**
 * Resources as columns, the slot grid as rows; each appointment a block over its whole occupancy on
 * each resource it holds (ECT: the suite, then the recovery bay), its observation part shaded.
 */
export function ScheduleGrid({ zone, opens, closes, slotMinutes, columns, appointments, names, loading, onFreeSlot, onMove, onOpen }: GridProps) {
  const drag = useBlockDrag(onMove);
  const rows = Math.max(1, Math.ceil((closes - opens) / slotMinutes));
  const columnOf = new Map(columns.map((c, i) => [c.id, i]));
  const blocks: Block[] = [];
  for (const a of appointments) {
    const observation = a.observation
      ? ([clinicMinutes(a.observation.startsAt, zone), clinicMinutes(a.observation.endsAt, zone)] as [number, number])
      : undefined;
    const spans = a.segments.length ? a.segments : [{ resourceId: VISITS, startsAt: a.occupancy.startsAt, endsAt: a.occupancy.endsAt }];
    for (const s of spans) {
      const column = columnOf.get(s.resourceId);
      if (column === undefined) continue;
      blocks.push({ appointment: a, column, from: clinicMinutes(s.startsAt, zone), to: clinicMinutes(s.endsAt, zone), observation });
    }
  }
  const row = (minutes: number) => Math.min(rows, Math.max(0, Math.round((minutes - opens) / slotMinutes))) + 2;
  const taken = new Set<string>();
  for (const b of blocks) for (let r = row(b.from); r < row(b.to); r++) taken.add(`${b.column}:${r}`);

  const freeCells = [];
  if (onFreeSlot) {
    for (let c = 0; c < columns.length; c++) {
      for (let r = 0; r < rows; r++) {
        if (taken.has(`${c}:${r + 2}`)) continue;
        const time = fromMinutes(opens + r * slotMinutes);
        freeCells.push(
          // Pointer shortcut only: keyboard users book with "Book appointment…", which offers the same choices.
          <div
            key={`${c}:${r}`}
            className={`free-slot${drag.over === `${columns[c].id}@${time}` ? ' drop-target' : ''}`}
            data-resource={columns[c].name}
            data-resource-id={columns[c].id}
            data-kind={columns[c].kind}
            data-time={time}
            title={`Book ${columns[c].name} at ${time}`}
            style={{ gridColumn: c + 2, gridRow: r + 2 }}
            onClick={() => onFreeSlot(columns[c].id, time)}
          />,
        );
      }
    }
  }

  return (
    <section className="schedule-wrap" aria-label="Schedule" aria-busy={loading}>
      <div
        className="schedule"
        // Capture: the blocks' own press handling keeps the pointer-down to itself.
        onPointerDownCapture={(e) => drag.start(e, appointments)}
        style={{ gridTemplateColumns: `4rem repeat(${columns.length}, minmax(7.5rem, 1fr))`, gridTemplateRows: `auto repeat(${rows}, 1.3rem)` }}
      >
        <div className="corner" style={{ gridColumn: 1, gridRow: 1 }} />
        {columns.map((c, i) => (
          <div key={c.id} className="column-head" style={{ gridColumn: i + 2, gridRow: 1 }}>
            {c.name}
          </div>
        ))}
        {Array.from({ length: rows }, (_, r) => opens + r * slotMinutes)
          .filter((m) => m % 30 === 0)
          .map((m) => (
            <div key={m} className={`time-label${m % 60 === 0 ? ' hour' : ''}`} style={{ gridColumn: 1, gridRow: `${row(m)} / span ${30 / slotMinutes}` }}>
              {fromMinutes(m)}
            </div>
          ))}
        {freeCells}
        {blocks.map((b) => {
          const a = b.appointment;
          const span = Math.max(1, row(b.to) - row(b.from));
          const obs = b.observation && b.observation[1] > b.from && b.observation[0] < b.to ? b.observation : undefined;
          const movable = !!onMove && a.status === 'scheduled' && a.segments.length === 1;
          return (
            <Button
              key={`${a.id}:${b.column}`}
              className={`block status-${a.status} type-${a.type}${drag.dragging === a.id ? ' dragging' : ''}${movable ? ' movable' : ''}`}
              style={{ gridColumn: b.column + 2, gridRow: `${row(b.from)} / span ${span}` }}
              data-appointment-id={movable ? a.id : undefined}
              data-kind={columns[b.column].kind}
              onPress={() => (drag.justDropped() ? undefined : onOpen(a.id))}
            >
              {obs && (
                <span
                  className="observation"
                  aria-hidden="true"
                  style={{
                    top: `${((Math.max(obs[0], b.from) - b.from) / (b.to - b.from)) * 100}%`,
                    bottom: `${((b.to - Math.min(obs[1], b.to)) / (b.to - b.from)) * 100}%`,
                  }}
                />
              )}
              {/* The visible text is the accessible name, with the column's resource for screen readers. */}
              <span className="block-text">
                <span className="block-time">
                  {fromMinutes(b.from)}–{fromMinutes(b.to)}
                </span>{' '}
                <span className="visually-hidden">{columns[b.column].name}: </span>
                <span className="block-patient">{names(a.patientId)}</span>
                <span className="block-meta">
                  {' '}
                  {TYPE_LABEL[a.type]}, <span className="status-badge">{STATUS_LABEL[a.status]}</span>
                  {a.status === 'scheduled' && (
                    <span className={`confirmation ${a.confirmedAt ? 'confirmed' : 'unconfirmed'}`}>
                      {a.confirmedAt ? ', confirmed' : ', not confirmed yet'}
                    </span>
                  )}
                </span>
              </span>
            </Button>
          );
        })}
      </div>
      <p className="legend">
        <span className="legend-swatch observation-swatch" aria-hidden="true" /> shaded: observation or recovery
      </p>
    </section>
  );
}

interface DragState {
  appointment: Appointment;
  kind: Resource['kind'];
  /** Where the pointer went down. */
  x: number;
  y: number;
  active: boolean;
}

/** The free slot under a point, if it takes a block of this resource kind: its resource and time. */
function freeSlotAt(x: number, y: number, kind: Resource['kind']): { resourceId: string; time: string } | undefined {
  const slot = document.elementsFromPoint(x, y).find((el) => el instanceof HTMLElement && el.classList.contains('free-slot')) as HTMLElement | undefined;
  if (!slot || slot.dataset.kind !== kind || !slot.dataset.resourceId || !slot.dataset.time) return undefined;
  return { resourceId: slot.dataset.resourceId, time: slot.dataset.time };
}

/**
 * Dragging a block with the pointer (mouse, pen or touch): past a few pixels the press becomes a drag,
 * the free slot under the pointer is highlighted if it holds the same kind of resource, and releasing
 * there moves the block's start to that slot. Escape, or a release elsewhere, moves nothing.
 */
function useBlockDrag(onMove: GridProps['onMove']) {
  const state = useRef<DragState | null>(null);
  // The latest callback, so the window listeners are added once.
  const moveTo = useRef(onMove);
  moveTo.current = onMove;
  const dropped = useRef(false);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  useEffect(() => {
    const end = () => {
      state.current = null;
      setDragging(null);
      setOver(null);
    };
    const move = (e: PointerEvent) => {
      const s = state.current;
      if (!s) return;
      if (!s.active && Math.hypot(e.clientX - s.x, e.clientY - s.y) < DRAG_THRESHOLD_PX) return;
      if (!s.active) {
        s.active = true;
        setDragging(s.appointment.id);
      }
      const slot = freeSlotAt(e.clientX, e.clientY, s.kind);
      setOver(slot ? `${slot.resourceId}@${slot.time}` : null);
    };
    const up = (e: PointerEvent) => {
      const s = state.current;
      if (!s) return;
      if (s.active) {
        // The click that follows a drag is not a press on the block.
        dropped.current = true;
        setTimeout(() => (dropped.current = false), 0);
        const slot = freeSlotAt(e.clientX, e.clientY, s.kind);
        if (slot) moveTo.current?.(s.appointment, slot.resourceId, slot.time);
      }
      end();
    };
    const key = (e: KeyboardEvent) => e.key === 'Escape' && state.current?.active && end();
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', end);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', end);
      window.removeEventListener('keydown', key);
    };
  }, []);

  return {
    dragging,
    over,
    /** A pointer went down on the grid: on a movable block, a drag may begin. */
    start(e: ReactPointerEvent, appointments: Appointment[]) {
      const block = e.button === 0 && e.target instanceof Element ? (e.target.closest('.block.movable') as HTMLElement | null) : null;
      const appointment = block && appointments.find((a) => a.id === block.dataset.appointmentId);
      if (!block || !appointment || !moveTo.current) return;
      state.current = { appointment, kind: block.dataset.kind as Resource['kind'], x: e.clientX, y: e.clientY, active: false };
    },
    justDropped: () => dropped.current,
  };
}
