/// The due-date factor ("fator de vencimento"): barcode positions 6–9.
///
/// The factor counts days from 1997-10-07. It reached 9999 on 2025-02-21 and, by FEBRABAN's rule, restarted at
/// 1000 on 2025-02-22 (as if counting from 2022-05-29). So a factor names one date per 9000-day cycle, and
/// decoding it needs a reference date: the bank window is 3000 days before to 5500 days after that date.
/// Factor `0000` means the boleto has no due date.
public enum DueDateFactor {
    /// 1997-10-07, day 0 of the first cycle.
    public static let baseDate = CalendarDate(year: 1997, month: 10, day: 7)!
    /// 2000-07-03, factor 1000: the first factor in use.
    public static let firstDate = CalendarDate(year: 2000, month: 7, day: 3)!
    /// 2025-02-22, when the factor restarted at 1000.
    public static let resetDate = CalendarDate(year: 2025, month: 2, day: 22)!
    /// 2049-10-13, factor 9999 of the second cycle: the last date BoletoKit encodes.
    public static let lastDate = CalendarDate(year: 2049, month: 10, day: 13)!
    /// Days the decoding window reaches before the reference date.
    public static let windowBefore = 3000
    /// Days the decoding window reaches after the reference date.
    public static let windowAfter = 5500

    private static let baseDay = baseDate.daysSinceUnixEpoch
    private static let cycle = 9000

    /// The factor of `dueDate`, 1000–9999; `0` when there is no due date.
    public static func factor(for dueDate: CalendarDate?) throws(BoletoError) -> Int {
        guard let dueDate else { return 0 }
        guard dueDate >= firstDate, dueDate <= lastDate else {
            throw BoletoError(.dueDateOutOfRange, field: "due_date",
                              "The due date must lie between \(firstDate) and \(lastDate), the dates a due-date factor can encode.")
        }
        let days = dueDate.daysSinceUnixEpoch - baseDay
        return days > 9999 ? days - cycle : days
    }

    /// Every date `factor` can stand for from 2000-07-03 to 2049-10-13, oldest first (empty for `0`).
    ///
    /// Factors below 1000 were never printed; they decode to their first-cycle date only.
    public static func candidates(for factor: Int) -> [CalendarDate] {
        guard (1...9999).contains(factor) else { return [] }
        let first = baseDate.adding(days: factor)
        guard factor >= 1000 else { return [first] }
        return [first, baseDate.adding(days: factor + cycle)]
    }

    /// The date `factor` stands for, seen from `reference` (usually today): the one date of its cycle inside the
    /// window of 3000 days before to 5500 days after `reference`. `nil` for factor `0` or when no cycle fits; like
    /// ``candidates(for:)``, it never answers a date after 2049-10-13, where FEBRABAN has defined no factor yet.
    public static func date(for factor: Int, reference: CalendarDate) -> CalendarDate? {
        guard (1...9999).contains(factor) else { return nil }
        let low = reference.daysSinceUnixEpoch - windowBefore
        let high = reference.daysSinceUnixEpoch + windowAfter
        var day = baseDay + factor
        let last = lastDate.daysSinceUnixEpoch
        while day <= high && day <= last {
            if day >= low { return CalendarDate(daysSinceUnixEpoch: day) }
            guard factor >= 1000 else { return nil }
            day += cycle
        }
        return nil
    }
}
