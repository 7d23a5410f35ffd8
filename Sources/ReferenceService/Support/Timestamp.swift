import BoletoKit
import Foundation

/// Instants as the service stores and prints them: UTC, millisecond precision, `2026-12-01T19:25:00.123Z`.
/// The fixed width makes the text sort in time order, which the store's range filters rely on.
enum Timestamp {
    static func format(_ date: Date) -> String {
        // To the nearest millisecond: an instant read back from its own text (ms / 1000 as a Double) may sit a hair
        // below it, and must print the same text again.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let days = Int(milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000)
        let inDay = Int(milliseconds - Int64(days) * 86_400_000)
        let day = CalendarDate(daysSinceUnixEpoch: days)
        let hour = inDay / 3_600_000, minute = inDay / 60_000 % 60, second = inDay / 1000 % 60, ms = inDay % 1000
        return "\(day)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(ms, 3))Z"
    }

    static func now() -> String { format(Date()) }

    /// The instant of a stored timestamp. The service's own form (`format`) is read directly; anything else goes
    /// through Foundation's ISO-8601 reader, which costs a formatter (and ICU) per call.
    static func parse(_ text: String) -> Date? {
        if let own = parseOwn(text) { return own }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// Text of the service's own shape (`YYYY-MM-DDTHH:MM:SS.mmmZ`): its instant, or `.some(nil)` when a field is out
    /// of range (the 30th of February, hour 24). Nil for text of any other shape.
    private static func parseOwn(_ text: String) -> Date?? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Date?? in
            guard bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
                  bytes[16] == 0x3A, bytes[19] == 0x2E, bytes[23] == 0x5A else { return nil }
            func number(_ start: Int, _ count: Int) -> Int? {
                var value = 0
                for index in start..<(start + count) {
                    let digit = Int(bytes[index]) - 0x30
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                  let minute = number(14, 2), let second = number(17, 2), let ms = number(20, 3),
                  hour < 24, minute < 60, second < 60, let date = CalendarDate(year: year, month: month, day: day) else {
                return .some(nil)
            }
            let milliseconds = ((Int64(date.daysSinceUnixEpoch) * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000
                + Int64(second) * 1000 + Int64(ms)
            return .some(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        } ?? nil
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
