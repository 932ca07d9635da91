export type { BankHoliday, BankHolidayOverrides } from './bank-holidays.ts';
export { BANK_HOLIDAY_OVERRIDES, englandAndWalesBankHolidays, isBankHoliday } from './bank-holidays.ts';
export type { WorkingDayCalendar, WorkingDayCalendarOptions, WorkingHours } from './calendar.ts';
export { createWorkingDayCalendar, englandAndWalesCalendar } from './calendar.ts';
