import BoletoKit
import Foundation

/// Instants as the service stores and prints them: UTC, millisecond precision, `2026-12-01T19:25:00.123Z`.
/// The fixed width makes the text sort in time order, which the store's range filters rely on.
enum Timestamp {
    static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int(milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000)
        let inDay = Int(milliseconds - Int64(days) * 86_400_000)
        let day = CalendarDate(daysSinceUnixEpoch: days)
        let hour = inDay / 3_600_000, minute = inDay / 60_000 % 60, second = inDay / 1000 % 60, ms = inDay % 1000
        return "\(day)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(ms, 3))Z"
    }

    static func now() -> String { format(Date()) }

    /// The instant of a stored timestamp.
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
