import Holidays from 'date-holidays';

/**
 * The bank holidays in England and Wales: the days off that stop the referral response clock and that
 * count as out of hours for groups. Days are calendar days in UK time, written 'YYYY-MM-DD'.
 *
 * They come from the `date-holidays` package (its data ships inside the package, so nothing is fetched
 * at run time). One-off holidays, such as the 2022 Platinum Jubilee or the 2023 coronation, are
 * proclaimed months ahead, and keeping the package up to date picks them up. GOV.UK's list
 * (https://www.gov.uk/bank-holidays) is the reference the tests check it against. The services are in
 * England, so Scotland's and Northern Ireland's extra bank holidays are not counted.
 */
const englandAndWales = new Holidays('GB', 'ENG', { types: ['public', 'bank'] });

const holidaysByYear = new Map<number, ReadonlySet<string>>();

const isWeekend = (day: string) => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/**
 * The bank holidays in England and Wales in a year, as GOV.UK lists them: the days people have off.
 *
 * `date-holidays` also lists a holiday's own date when it falls at the weekend, beside the weekday
 * substitute (for 2026, both Saturday 26 December and Monday 28 December). GOV.UK lists only the
 * substitute, because only that day is a day off, so weekend dates are left out here.
 *
 * @param year - e.g. 2026.
 * @returns the days, 'YYYY-MM-DD', in date order.
 */
export function bankHolidaysInEnglandAndWales(year: number): string[] {
  return [...holidaySet(year)].sort();
}

/**
 * Whether a day is a bank holiday in England and Wales.
 *
 * @param day - a calendar day, 'YYYY-MM-DD'.
 * @returns true on a bank holiday (always a weekday: see bankHolidaysInEnglandAndWales).
 */
export function isBankHoliday(day: string): boolean {
  return holidaySet(Number(day.slice(0, 4))).has(day);
}

/**
 * The bank holidays of a year as a set, worked out once per year.
 *
 * @param year - e.g. 2026.
 * @returns the weekday bank holidays.
 */
function holidaySet(year: number): ReadonlySet<string> {
  let days = holidaysByYear.get(year);
  if (days === undefined) {
    days = new Set(
      englandAndWales
        .getHolidays(year)
        // Only days off count, not observances such as Mother's Day (excluded by `types` too).
        .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
        // `date` is the local day, "2026-12-28 00:00:00"; `start` is a UTC instant and would be the
        // day before for holidays in British Summer Time.
        .map((holiday) => holiday.date.slice(0, 10))
        .filter((day) => !isWeekend(day)),
    );
    holidaysByYear.set(year, days);
  }
  return days;
}
