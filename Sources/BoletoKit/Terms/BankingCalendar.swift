/// The days Brazilian banks clear payments: every day but Saturdays, Sundays and the national holidays.
///
/// A boleto due on a day banks are closed may be paid on the next business day without interest, fine or loss of a
/// discount (FEBRABAN's rule, which every bank applies). The national holidays are the fixed ones of Law 662/1949 and
/// its amendments — 1 January, 21 April, 1 May, 7 September, 12 October, 2 November, 15 November, 20 November (from
/// 2024, Law 14.759/2023) and 25 December — and the movable days banks close on: Carnival Monday and Tuesday, Good
/// Friday and Corpus Christi, from the date of Easter. Municipal and state holidays are not known here.
public struct BankingCalendar: Sendable, Hashable {
    /// Brazil's national banking calendar.
    public static let brazil = BankingCalendar()

    public init() {}

    /// Whether banks clear payments on `date`.
    public func isBusinessDay(_ date: CalendarDate) -> Bool {
        // 1970-01-01 was a Thursday: day 0 → weekday 4 (0 = Sunday).
        let weekday = ((date.daysSinceUnixEpoch % 7) + 7 + 4) % 7
        if weekday == 0 || weekday == 6 { return false }
        return !isHoliday(date)
    }

    /// `date`, or the first business day after it.
    public func businessDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var day = date
        while !isBusinessDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// Whether `date` is a national banking holiday.
    public func isHoliday(_ date: CalendarDate) -> Bool {
        switch (date.month, date.day) {
        case (1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2), (11, 15), (12, 25):
            return true
        case (11, 20):
            return date.year >= 2024
        default:
            break
        }
        let easter = Self.easter(year: date.year)
        let offset = date.days(since: easter)
        // Carnival Monday and Tuesday, Good Friday, Corpus Christi.
        return offset == -48 || offset == -47 || offset == -2 || offset == 60
    }

    /// Easter Sunday of `year` (the Gregorian computus, Meeus/Jones/Butcher).
    public static func easter(year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }
}
