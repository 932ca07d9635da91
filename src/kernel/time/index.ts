export type { Clock, FixedClock } from './clock.ts';
export { fixedClock, parseInstant, systemClock, todayIn } from './clock.ts';
export type { DateParts, IsoDate } from './iso-date.ts';
export {
  TIME_ZONE,
  addCalendarDays,
  assertIsoDate,
  compareIsoDates,
  dayOfWeekOfEpochDay,
  daysInMonth,
  differenceInCalendarDays,
  epochDayOf,
  formatIsoDate,
  fromEpochDay,
  instantAt,
  isClockTime,
  isIsoDate,
  isoDateOf,
  isoDayOfWeek,
  minutesOfClockTime,
  occurredOn,
  parseIsoDate,
  partsOfEpochDay,
  toEpochDay,
} from './iso-date.ts';
export { formatDateGovUk, formatDateTimeGovUk, formatMonthGovUk, formatTimeGovUk } from './format.ts';
