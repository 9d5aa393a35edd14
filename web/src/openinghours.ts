// Opening hours in the OpenStreetMap `opening_hours` syntax, as used by the
// `horaires` field of the national standard: the subset found in practice
// (weekday selectors with ranges and lists, comma-separated time ranges,
// `off`/`closed`, `24/7`, additional rules after a comma). Public holidays
// (`PH …`) are ignored: we cannot know them. Anything else (months, weeks,
// dates, sunrise…) makes the parser give up and return null, so that the
// interface shows the source text instead of a wrong "open" badge.

/** Minutes since midnight; an interval ends at most at 1440 (24:00). */
export interface Interval {
  start: number;
  end: number;
}

/** A weekly schedule: `days[0]` is Monday, `days[6]` Sunday. */
export interface Week {
  days: Interval[][];
  /** Free comments found in the rules (`"sur rendez-vous"`). */
  comments: string[];
}

/** A moment in the week: day 0 = Monday, minutes since midnight. */
export interface WeekTime {
  day: number;
  minutes: number;
}

const DAY_CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
export const DAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MINUTES_PER_WEEK = 7 * 1440;

type Token =
  | {kind: 'day'; value: number}
  | {kind: 'holiday'}
  | {kind: 'time'; value: number}
  | {kind: 'dash'}
  | {kind: 'comma'}
  | {kind: 'off'}
  | {kind: 'open'}
  | {kind: 'comment'; value: string};

function tokenize(rule: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const rest = rule.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\s+/))) {
      i += m[0].length;
    } else if ((m = rest.match(/^(Mo|Tu|We|Th|Fr|Sa|Su)(?![A-Za-z])/))) {
      out.push({kind: 'day', value: DAY_CODES.indexOf(m[1]!)});
      i += 2;
    } else if ((m = rest.match(/^(PH|SH)(?![A-Za-z])/))) {
      out.push({kind: 'holiday'});
      i += 2;
    } else if ((m = rest.match(/^(\d{1,2})[:h](\d{2})/))) {
      const h = Number(m[1]);
      const min = Number(m[2]);
      if (h > 24 || min > 59 || (h === 24 && min !== 0)) return null;
      out.push({kind: 'time', value: h * 60 + min});
      i += m[0].length;
    } else if ((m = rest.match(/^[-–]/))) {
      out.push({kind: 'dash'});
      i += 1;
    } else if (rest.startsWith(',')) {
      out.push({kind: 'comma'});
      i += 1;
    } else if ((m = rest.match(/^(off|closed)(?![A-Za-z])/i))) {
      out.push({kind: 'off'});
      i += m[0].length;
    } else if ((m = rest.match(/^open(?![A-Za-z])/i))) {
      out.push({kind: 'open'});
      i += m[0].length;
    } else if ((m = rest.match(/^"([^"]*)"/))) {
      out.push({kind: 'comment', value: m[1]!.trim()});
      i += m[0].length;
    } else if (rest.startsWith(':')) {
      i += 1; // "Mo-Fr: 09:00-12:00" is a common slip
    } else {
      return null;
    }
  }
  return out;
}

interface Rule {
  days: number[] | null; // null: no selector, every day; []: holidays only
  intervals: Interval[] | 'off' | 'all';
  additional: boolean;
  comment?: string;
}

/** Parses one `;`-separated rule, possibly with `,`-joined additional rules. */
function parseRule(src: string): Rule[] | null {
  const tokens = tokenize(src);
  if (!tokens) return null;
  const rules: Rule[] = [];
  let pos = 0;
  let additional = false;
  const peek = () => tokens[pos];
  while (pos < tokens.length) {
    // Selector: day items joined by commas; an item is a day or a range.
    let days: number[] | null = null;
    let holidaysOnly = false;
    if (peek()?.kind === 'day' || peek()?.kind === 'holiday') {
      days = [];
      let sawDay = false;
      for (;;) {
        const t = tokens[pos];
        if (t?.kind === 'holiday') {
          pos++;
        } else if (t?.kind === 'day') {
          pos++;
          sawDay = true;
          if (tokens[pos]?.kind === 'dash' && tokens[pos + 1]?.kind === 'day') {
            const to = (tokens[pos + 1] as {value: number}).value;
            pos += 2;
            for (let d = t.value; ; d = (d + 1) % 7) {
              days.push(d);
              if (d === to) break;
            }
          } else {
            days.push(t.value);
          }
        } else {
          return null;
        }
        if (tokens[pos]?.kind === 'comma' && (tokens[pos + 1]?.kind === 'day' || tokens[pos + 1]?.kind === 'holiday')) {
          pos++;
          continue;
        }
        break;
      }
      holidaysOnly = !sawDay;
    }
    // Times, off, open or nothing (open all day).
    let intervals: Interval[] | 'off' | 'all' = 'all';
    let comment: string | undefined;
    const t = peek();
    if (t?.kind === 'off') {
      intervals = 'off';
      pos++;
    } else if (t?.kind === 'open') {
      pos++;
    } else if (t?.kind === 'time') {
      intervals = [];
      for (;;) {
        const a = tokens[pos];
        const dash = tokens[pos + 1];
        const b = tokens[pos + 2];
        if (a?.kind !== 'time' || dash?.kind !== 'dash' || b?.kind !== 'time') return null;
        pos += 3;
        if (a.value === b.value) return null;
        intervals.push({start: a.value, end: b.value});
        if (tokens[pos]?.kind === 'comma' && tokens[pos + 1]?.kind === 'time') {
          pos++;
          continue;
        }
        break;
      }
    } else if (days === null && t?.kind !== 'comment') {
      return null;
    }
    if (peek()?.kind === 'comment') {
      comment = (peek() as {value: string}).value;
      pos++;
    }
    if (!holidaysOnly) rules.push({days, intervals, additional, comment});
    if (pos < tokens.length) {
      if (peek()?.kind !== 'comma') return null;
      pos++;
      additional = true;
    }
  }
  return rules;
}

/** Parses `horaires`; null when empty or outside the supported subset. */
export function parseOpeningHours(src: string | undefined | null): Week | null {
  const text = (src ?? '').trim();
  if (!text) return null;
  const week: Week = {days: Array.from({length: 7}, () => []), comments: []};
  if (text === '24/7') {
    week.days = week.days.map(() => [{start: 0, end: 1440}]);
    return week;
  }
  if (text.includes('||')) return null;
  const overnight: Interval[][] = Array.from({length: 7}, () => []);
  let any = false;
  for (const raw of text.split(';')) {
    const part = raw.trim();
    if (!part) continue;
    if (part === '24/7') {
      week.days = week.days.map(() => [{start: 0, end: 1440}]);
      any = true;
      continue;
    }
    const rules = parseRule(part);
    if (!rules) return null;
    for (const rule of rules) {
      any = true;
      if (rule.comment) week.comments.push(rule.comment);
      const days = rule.days ?? [0, 1, 2, 3, 4, 5, 6];
      for (const d of days) {
        let list: Interval[];
        if (rule.intervals === 'off') list = [];
        else if (rule.intervals === 'all') list = [{start: 0, end: 1440}];
        else list = rule.intervals.map((iv) => ({...iv}));
        const today: Interval[] = [];
        const spill: Interval[] = [];
        for (const iv of list) {
          if (iv.end > iv.start) today.push(iv);
          else {
            // Crosses midnight: the part after midnight belongs to the next day.
            today.push({start: iv.start, end: 1440});
            if (iv.end > 0) spill.push({start: 0, end: iv.end});
          }
        }
        week.days[d] = rule.additional ? week.days[d]!.concat(today) : today;
        overnight[(d + 1) % 7] = rule.additional ? overnight[(d + 1) % 7]!.concat(spill) : spill;
      }
    }
  }
  if (!any) return null;
  for (let d = 0; d < 7; d++) {
    week.days[d] = normalise(week.days[d]!.concat(overnight[d]!));
  }
  return week;
}

function normalise(list: Interval[]): Interval[] {
  const sorted = list.filter((iv) => iv.end > iv.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else out.push({...iv});
  }
  return out;
}

/** The moment `date` in France (Europe/Paris), whatever the browser's zone. */
export function parisWeekTime(date: Date): WeekTime {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAY_CODES.indexOf(get('weekday').slice(0, 2));
  return {day: day < 0 ? 0 : day, minutes: Number(get('hour')) * 60 + Number(get('minute'))};
}

/** Whether the schedule is open at `t`. */
export function isOpen(week: Week, t: WeekTime): boolean {
  return week.days[t.day]!.some((iv) => t.minutes >= iv.start && t.minutes < iv.end);
}

/** The next opening or closing, or null when it never changes. */
export interface Change {
  open: boolean; // the state at t
  at: WeekTime; // when it changes
  daysAhead: number; // 0 today, 1 tomorrow…
}

export function nextChange(week: Week, t: WeekTime): Change | null {
  const open = isOpen(week, t);
  // Boundaries of the week as absolute minutes from Monday 00:00.
  const now = t.day * 1440 + t.minutes;
  let best = Infinity;
  for (let d = 0; d < 7; d++) {
    for (const iv of week.days[d]!) {
      // Open: the next end; closed: the next start. An interval ending at
      // 24:00 continued by one starting at 00:00 is not a change.
      let abs = d * 1440 + (open ? iv.end : iv.start);
      if (abs <= now) abs += MINUTES_PER_WEEK;
      if (abs < best && stateChangesAt(week, abs % MINUTES_PER_WEEK, open)) best = abs;
    }
  }
  if (best === Infinity) return null;
  const absDay = Math.floor(best / 1440);
  const at = {day: absDay % 7, minutes: best % 1440};
  return {open, at, daysAhead: absDay - t.day};
}

/** Whether the open state really flips at `abs` (minutes in the week). */
function stateChangesAt(week: Week, abs: number, wasOpen: boolean): boolean {
  const day = Math.floor(abs / 1440) % 7;
  const minutes = abs % 1440;
  return isOpen(week, {day, minutes}) !== wasOpen;
}

export function formatMinutes(m: number): string {
  const h = Math.floor(m / 60);
  const min = m % 60;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** "Ferme à 12:00", "Ouvre demain à 09:00", "Ouvre lundi à 09:00". */
export function describeChange(c: Change): string {
  const verb = c.open ? 'Ferme' : 'Ouvre';
  const time = formatMinutes(c.at.minutes);
  if (c.daysAhead === 0) return `${verb} à ${time}`;
  if (c.daysAhead === 1) return `${verb} demain à ${time}`;
  return `${verb} ${DAY_NAMES[c.at.day]} à ${time}`;
}

/** "09:00 – 12:00, 14:00 – 17:00" or "Fermé". */
export function describeDay(list: Interval[]): string {
  if (list.length === 0) return 'Fermé';
  if (list.length === 1 && list[0]!.start === 0 && list[0]!.end === 1440) return 'Ouvert 24 h sur 24';
  return list.map((iv) => `${formatMinutes(iv.start)} – ${formatMinutes(iv.end)}`).join(', ');
}

/** The status shown on a place: open or closed now, and the next change. */
export interface Status {
  open: boolean;
  label: string; // "Ouvert" or "Fermé"
  next: string | null;
}

export function statusAt(week: Week, t: WeekTime): Status {
  const open = isOpen(week, t);
  const change = nextChange(week, t);
  return {open, label: open ? 'Ouvert' : 'Fermé', next: change ? describeChange(change) : null};
}
