// The opening-hours editor's model: a week of time ranges (Monday first),
// the public holidays and dated exceptions, read from and written to the
// OSM `opening_hours` syntax (the subset volunteers need). Pure: tested in
// test/hoursedit.test.ts.

/** A time range of one day, "09:00" to "12:00" (end may be "24:00"). */
export interface TimeRange {
  start: string;
  end: string;
}

/** A dated exception: a day (or span of days) closed or with other hours.
 * Dates are "YYYY-MM-DD", or "MM-DD" every year. */
export interface DateException {
  from: string;
  /** Last day of the span, "" for a single day. */
  to: string;
  /** Empty: closed. */
  ranges: TimeRange[];
}

export interface HoursState {
  /** Seven days, Monday first; an empty list is a closed day. */
  days: TimeRange[][];
  /** Public holidays: null as the ordinary week, "off" closed, or hours. */
  ph: null | 'off' | TimeRange[];
  exceptions: DateException[];
}

export const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
export const DAY_LABELS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function emptyHours(): HoursState {
  return {days: [[], [], [], [], [], [], []], ph: null, exceptions: []};
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutes(t: string): number {
  const m = TIME.exec(t);
  if (!m) return NaN;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v > 24 * 60 ? NaN : v;
}

/** "9:5" → "09:05"; other input unchanged. */
function padTime(t: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : t.trim();
}

function rangesText(ranges: TimeRange[]): string {
  return ranges.map((r) => `${r.start}-${r.end}`).join(',');
}

function sameRanges(a: TimeRange[], b: TimeRange[]): boolean {
  return rangesText(a) === rangesText(b);
}

/** "Mo-Fr", "Tu,Th", "Mo-We,Fr": runs of three days or more as spans. */
function daySelector(days: number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${OSM_DAYS[days[i]!]}-${OSM_DAYS[days[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(OSM_DAYS[days[k]!]!);
    i = j + 1;
  }
  return parts.join(',');
}

function dateText(d: string): string {
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(d);
  if (!m) return d;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  return `${m[1] ? `${m[1]} ` : ''}${month} ${m[3]}`;
}

/** The OSM opening_hours string of the editor's state ("" when nothing is
 * open and there is no exception). */
export function toOpeningHours(s: HoursState): string {
  const all = s.days.every((d) => d.length === 1 && d[0]!.start === '00:00' && d[0]!.end === '24:00');
  const rules: string[] = [];
  if (all) rules.push('24/7');
  else {
    const done = new Set<number>();
    for (let d = 0; d < 7; d++) {
      const ranges = s.days[d]!;
      if (done.has(d) || ranges.length === 0) continue;
      const group: number[] = [];
      for (let e = d; e < 7; e++) {
        if (!done.has(e) && sameRanges(s.days[e]!, ranges)) {
          group.push(e);
          done.add(e);
        }
      }
      rules.push(`${daySelector(group)} ${rangesText(ranges)}`);
    }
  }
  for (const x of s.exceptions) {
    const span = x.to && x.to !== x.from ? `${dateText(x.from)}-${dateText(x.to)}` : dateText(x.from);
    rules.push(`${span} ${x.ranges.length ? rangesText(x.ranges) : 'off'}`);
  }
  if (s.ph === 'off') rules.push('PH off');
  else if (Array.isArray(s.ph) && s.ph.length) rules.push(`PH ${rangesText(s.ph)}`);
  if (rules.length === 0) return '';
  return rules.join('; ');
}

export type ParseResult = {ok: true; state: HoursState} | {ok: false; error: string};

function parseRanges(text: string): TimeRange[] | null {
  const out: TimeRange[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!m) return null;
    const r = {start: padTime(m[1]!), end: padTime(m[2]!)};
    if (Number.isNaN(minutes(r.start)) || Number.isNaN(minutes(r.end))) return null;
    out.push(r);
  }
  return out;
}

function parseDays(sel: string): number[] | null {
  const days = new Set<number>();
  for (const part of sel.split(',')) {
    const m = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/.exec(part.trim());
    if (!m) return null;
    const a = OSM_DAYS.indexOf(m[1]!);
    const b = m[2] ? OSM_DAYS.indexOf(m[2]) : a;
    // Mo-Fr; a wrapping span (Sa-Mo) goes over Sunday.
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}

const DATE = '(?:(\\d{4}) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\\d{1,2})';
const DATE_RULE = new RegExp(`^${DATE}(?:\\s*-\\s*(?:(?:(\\d{4}) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )?(\\d{1,2}))?\\s+(.+)$`);

function isoDate(year: string | undefined, month: string, day: string): string {
  const mm = String(MONTHS.indexOf(month) + 1).padStart(2, '0');
  return `${year ? `${year}-` : ''}${mm}-${day.padStart(2, '0')}`;
}

function hoursOrOff(text: string): TimeRange[] | null {
  const t = text.trim();
  if (t === 'off' || t === 'closed') return [];
  return parseRanges(t);
}

/** Reads an opening_hours string into the editor's state, or says why it
 * cannot (the editor then offers the raw text). */
export function parseOpeningHours(raw: string): ParseResult {
  const s = emptyHours();
  const text = raw.trim();
  if (!text) return {ok: true, state: s};
  for (const rule0 of text.split(';')) {
    const rule = rule0.trim();
    if (!rule) continue;
    if (rule === '24/7') {
      s.days = s.days.map(() => [{start: '00:00', end: '24:00'}]);
      continue;
    }
    let m = /^PH\s+(.+)$/.exec(rule);
    if (m) {
      const r = hoursOrOff(m[1]!);
      if (!r) return {ok: false, error: `règle des jours fériés illisible : « ${rule} »`};
      s.ph = r.length ? r : 'off';
      continue;
    }
    m = DATE_RULE.exec(rule);
    if (m) {
      const r = hoursOrOff(m[7]!);
      if (!r) return {ok: false, error: `exception illisible : « ${rule} »`};
      const from = isoDate(m[1], m[2]!, m[3]!);
      const to = m[6] ? isoDate(m[4] ?? m[1], m[5] ?? m[2]!, m[6]) : '';
      s.exceptions.push({from, to, ranges: r});
      continue;
    }
    m = /^((?:(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*)\s+(.+)$/.exec(rule);
    if (m) {
      const days = parseDays(m[1]!);
      const r = hoursOrOff(m[2]!);
      if (!days || !r) return {ok: false, error: `règle illisible : « ${rule} »`};
      for (const d of days) s.days[d] = r.map((x) => ({...x}));
      continue;
    }
    // Hours without days apply to every day.
    const r = parseRanges(rule);
    if (r) {
      s.days = s.days.map(() => r.map((x) => ({...x})));
      continue;
    }
    return {ok: false, error: `règle non prise en charge par l'éditeur : « ${rule} »`};
  }
  return {ok: true, state: s};
}

/** Problems of the state, in French, with where they are (day index,
 * "ph" or "exception:<i>"). */
export function checkHours(s: HoursState): {where: string; message: string}[] {
  const out: {where: string; message: string}[] = [];
  const checkRanges = (where: string, label: string, ranges: TimeRange[]) => {
    let prevEnd = -1;
    for (const [i, r] of ranges.entries()) {
      const a = minutes(r.start);
      const b = minutes(r.end);
      if (Number.isNaN(a) || Number.isNaN(b)) {
        out.push({where, message: `${label}, plage ${i + 1} : indiquez l'heure d'ouverture et de fermeture (HH:MM).`});
        continue;
      }
      if (b <= a) out.push({where, message: `${label}, plage ${i + 1} : la fermeture doit venir après l'ouverture.`});
      else if (a < prevEnd) out.push({where, message: `${label}, plage ${i + 1} : elle chevauche la plage précédente.`});
      prevEnd = Math.max(prevEnd, b);
    }
  };
  s.days.forEach((d, i) => checkRanges(String(i), DAY_LABELS[i]!, d));
  if (Array.isArray(s.ph)) checkRanges('ph', 'Jours fériés', s.ph);
  s.exceptions.forEach((x, i) => {
    const where = `exception:${i}`;
    const dateOk = (d: string) => /^(\d{4}-)?\d{2}-\d{2}$/.test(d);
    if (!dateOk(x.from) || (x.to && !dateOk(x.to))) out.push({where, message: `Exception ${i + 1} : indiquez une date valide.`});
    else if (x.to && x.to < x.from) out.push({where, message: `Exception ${i + 1} : la date de fin doit venir après la date de début.`});
    checkRanges(where, `Exception ${i + 1}`, x.ranges);
  });
  return out;
}
