import BoletoKit
import Foundation

/// Reads the date and instant forms the API accepts.
///
/// `expiration_date` takes a calendar date (`2026-12-20`), an ISO-8601 date-time (`2026-12-20T22:30:00-03:00`;
/// without an offset, São Paulo time), or the JavaScript `Date` string of superbowleto's example
/// (`Tue Apr 18 2017 18:46:59 GMT-0300 (-03)`). A date-time becomes the calendar date it falls on in São Paulo,
/// which is the date the barcode encodes and the bank registers.
enum DateInput {
    /// The São Paulo calendar date of `text`, or nil when it is none of the accepted forms.
    static func calendarDate(_ text: String) -> CalendarDate? {
        if let date = CalendarDate(iso: text), text.count == 10 { return date }
        guard let instant = instant(text) else { return nil }
        return CalendarDate(instant, in: TimeZone.saoPaulo)
    }

    /// The instant `text` names: an ISO-8601 date-time, a JavaScript date string, or a calendar date (its São
    /// Paulo midnight).
    static func instant(_ text: String) -> Date? {
        if text.count == 10, let date = CalendarDate(iso: text) {
            return moment(date, hour: 0, minute: 0, second: 0, fraction: 0, offsetSeconds: nil)
        }
        return iso8601(text) ?? javaScript(text)
    }

    private static let isoPattern = try! NSRegularExpression(pattern:
        #"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$"#)
    private static let jsPattern = try! NSRegularExpression(pattern:
        #"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-]\d{4})(?: \([^()]*\))?$"#)
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func groups(_ pattern: NSRegularExpression, _ text: String) -> [String?]? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pattern.firstMatch(in: text, range: range) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
    }

    private static func iso8601(_ text: String) -> Date? {
        guard let g = groups(isoPattern, text), let day = g[0].flatMap({ CalendarDate(iso: $0) }),
              let hour = g[1].flatMap({ Int($0) }), let minute = g[2].flatMap({ Int($0) }) else { return nil }
        let second = g[3].flatMap { Int($0) } ?? 0
        let fraction = g[4].map { Double("0." + $0) ?? 0 } ?? 0
        var offset: Int?
        if let zone = g[5] {
            if zone == "Z" {
                offset = 0
            } else {
                guard let seconds = offsetSeconds(zone.replacingOccurrences(of: ":", with: "")) else { return nil }
                offset = seconds
            }
        }
        return moment(day, hour: hour, minute: minute, second: second, fraction: fraction, offsetSeconds: offset)
    }

    private static func javaScript(_ text: String) -> Date? {
        guard let g = groups(jsPattern, text), let month = g[0].flatMap({ months.firstIndex(of: $0) }),
              let dayNumber = g[1].flatMap({ Int($0) }), let year = g[2].flatMap({ Int($0) }),
              let day = CalendarDate(year: year, month: month + 1, day: dayNumber),
              let hour = g[3].flatMap({ Int($0) }), let minute = g[4].flatMap({ Int($0) }),
              let second = g[5].flatMap({ Int($0) }), let offset = g[6].flatMap(offsetSeconds) else { return nil }
        return moment(day, hour: hour, minute: minute, second: second, fraction: 0, offsetSeconds: offset)
    }

    /// `+hhmm` / `-hhmm` as seconds east of UTC.
    private static func offsetSeconds(_ text: String) -> Int? {
        guard text.count == 5, let sign = text.first, sign == "+" || sign == "-",
              let hours = Int(text.dropFirst().prefix(2)), let minutes = Int(text.suffix(2)),
              hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// The instant of a wall-clock time; without an offset, the wall clock is São Paulo's.
    private static func moment(_ day: CalendarDate, hour: Int, minute: Int, second: Int, fraction: Double,
                               offsetSeconds: Int?) -> Date? {
        guard hour < 24, minute < 60, second < 60 else { return nil }
        let local = Double(day.daysSinceUnixEpoch * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        if let offsetSeconds { return Date(timeIntervalSince1970: local - Double(offsetSeconds)) }
        // São Paulo has had no daylight saving since 2019; for older dates take the zone's offset at that moment.
        let guess = Date(timeIntervalSince1970: local + 3 * 3600)
        let offset = TimeZone.saoPaulo.secondsFromGMT(for: guess)
        return Date(timeIntervalSince1970: local - Double(offset))
    }
}
