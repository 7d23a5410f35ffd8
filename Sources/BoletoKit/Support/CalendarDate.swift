import Foundation

/// A calendar date with no time and no time zone, as printed on a boleto ("vencimento").
///
/// Boletos fall due on a day, not an instant, so BoletoKit keeps dates as plain `year-month-day` values and does
/// its arithmetic on day numbers. Use ``init(_:in:)`` to take the day of a `Date` in a given time zone
/// (São Paulo for Brazilian boletos).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date from its parts; `nil` unless it is a real Gregorian date between the years 1 and 9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO-8601 calendar date, `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        var text = String(text)
        guard let date = text.withUTF8({ CalendarDate(isoUTF8: $0) }) else { return nil }
        self = date
    }

    /// Parses an ISO-8601 calendar date, `YYYY-MM-DD`, from its UTF-8 bytes (no `String` made): for readers of
    /// files and sockets.
    public init?(isoUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) &- 48
                guard (0...9).contains(digit) else { return nil }
                value = value &* 10 &+ digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day, in `timeZone`, on which `date` falls.
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int((date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))).rounded(.down))
        self.init(daysSinceUnixEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    public init(daysSinceUnixEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    public var daysSinceUnixEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceUnixEpoch: daysSinceUnixEpoch + days)
    }

    /// Whole days from `other` to `self`.
    public func days(since other: CalendarDate) -> Int {
        daysSinceUnixEpoch - other.daysSinceUnixEpoch
    }

    /// The day of the year, 1…366.
    public var dayOfYear: Int {
        days(since: CalendarDate(year: year, month: 1, day: 1)!) + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        guard hasFourDigitYear else {
            func pad(_ value: Int, _ width: Int) -> String {
                let text = String(value)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        }
        // `YYYY-MM-DD` written in place: this is on the batch commands' per-line path.
        return String(unsafeUninitializedCapacity: 10) { bytes in
            writeISO(to: UnsafeMutableRawBufferPointer(bytes)) ?? 0
        }
    }

    /// Whether ``description`` is exactly `YYYY-MM-DD`, 10 bytes (years 0–9999; dates made by arithmetic can leave
    /// that range).
    private var hasFourDigitYear: Bool {
        (0...9999).contains(year) && (0...99).contains(month) && (0...99).contains(day)
    }

    /// ``description``'s 10 bytes (`YYYY-MM-DD`) written into `buffer` at `offset`, with no `String` made; answers
    /// the offset after them, or `nil` (nothing written) for a year outside 0–9999, whose text is longer.
    /// `buffer` must have room for 10 bytes from `offset`.
    @discardableResult
    public func writeISO(to buffer: UnsafeMutableRawBufferPointer, at offset: Int = 0) -> Int? {
        guard hasFourDigitYear else { return nil }
        precondition(offset >= 0 && offset + 10 <= buffer.count)
        let zero = UInt8(ascii: "0"), bytes = buffer.baseAddress! + offset
        bytes.storeBytes(of: zero + UInt8(year / 1000), toByteOffset: 0, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(year / 100 % 10), toByteOffset: 1, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(year / 10 % 10), toByteOffset: 2, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(year % 10), toByteOffset: 3, as: UInt8.self)
        bytes.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 4, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(month / 10), toByteOffset: 5, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(month % 10), toByteOffset: 6, as: UInt8.self)
        bytes.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 7, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(day / 10), toByteOffset: 8, as: UInt8.self)
        bytes.storeBytes(of: zero + UInt8(day % 10), toByteOffset: 9, as: UInt8.self)
        return offset + 10
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "Expected a YYYY-MM-DD date."))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Today in São Paulo, the calendar boletos are due in (UTC−3 when the zone database is missing).
    public static func todayInSaoPaulo(now: Date = Date()) -> CalendarDate {
        CalendarDate(now, in: .saoPaulo)
    }
}

extension TimeZone {
    /// America/Sao_Paulo; Brazil has kept UTC−3 all year since 2019, the fallback when tzdata is absent.
    public static let saoPaulo: TimeZone = TimeZone(identifier: "America/Sao_Paulo") ?? TimeZone(secondsFromGMT: -3 * 3600)!
}
