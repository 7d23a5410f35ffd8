import ArgumentParser
import BoletoJSON
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a file descriptor (standard input), read in large blocks and split on `\n` without a system call
/// or a lock per line, as the batch commands (`--jsonl`) need.
///
/// Lines come without their `\n` or `\r\n`, and a last line without a newline is included. A line that is not
/// UTF-8 is reported as ``Line/notUTF8`` (never read with replacement characters, which could turn a bad byte into
/// an accepted value). Memory stays bounded whatever the input: a line longer than ``maxLineBytes`` is skipped to
/// its end and reported as ``Line/tooLong`` instead of being held.
struct LineStream {
    enum Line {
        case text(String)
        /// A line longer than ``maxLineBytes``; its bytes were dropped.
        case tooLong
        /// A line whose bytes are not UTF-8.
        case notUTF8

        /// A line's bytes read as text: nil bytes are a line too long to keep, and bytes that are not UTF-8 are never
        /// read with replacement characters.
        init(_ bytes: UnsafeBufferPointer<UInt8>?) {
            guard let bytes else { self = .tooLong; return }
            self = String(validating: bytes, as: UTF8.self).map(Line.text) ?? .notUTF8
        }

        /// Why a line that is not text could not be read, in one sentence.
        var problem: String? {
            switch self {
            case .text: nil
            case .tooLong: "The line is longer than \(LineStream.maxLineBytes) bytes, so it was not read."
            case .notUTF8: "The line is not valid UTF-8."
            }
        }
    }

    /// The longest line kept; a canonical input object or a digitable line is far shorter.
    static let maxLineBytes = 1 << 20
    static let blockSize = 1 << 20

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    init(descriptor: Int32 = 0) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.blockSize + Self.maxLineBytes)
    }

    /// The next line, or nil at the end of the input.
    mutating func next() -> Line? {
        withNextLine(Line.init)
    }

    /// Passes the next line's bytes, without its line break, to `body` (they are valid only inside it; nil for a line
    /// longer than ``maxLineBytes``) and answers what `body` answers, or nil at the end of the input. The bytes are
    /// not checked for UTF-8: ``Line/init(_:)`` does that for a reader that wants text.
    mutating func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R? {
        guard let next = nextRange() else { return nil }
        guard let range = next else { return body(nil) }
        return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The next line's place in the buffer; `.some(nil)` for a line too long to keep; nil at the end of the input.
    private mutating func nextRange() -> Range<Int>?? {
        var discarding = false
        while true {
            if let newline = newlineIndex() {
                let end = newline > start && buffer[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
                let range = start..<end
                start = newline + 1
                return .some(discarding ? nil : range)
            }
            if buffer.count - start > Self.maxLineBytes {
                // Too long to keep: drop what is buffered and keep reading to the line's end.
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if atEnd {
                guard start < buffer.count || discarding else { return nil }
                let range = start..<buffer.count
                start = buffer.count
                return .some(discarding ? nil : range)
            }
            fill()
        }
    }

    private func newlineIndex() -> Int? {
        buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard start < bytes.count, let base = bytes.baseAddress,
                  let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Moves the unread bytes to the front and reads one more block (or notes the end of the input).
    private mutating func fill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.blockSize))
        var count = 0
        repeat {
            count = buffer.withUnsafeMutableBufferPointer { read(descriptor, $0.baseAddress! + old, Self.blockSize) }
        } while count < 0 && errno == EINTR
        if count < 0 {
            // Stopping here is safer than answering for part of the input as if it were all of it.
            let message = "boleto: cannot read standard input (errno \(errno)).\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(74)
        }
        buffer.removeLast(Self.blockSize - count)
        if count == 0 { atEnd = true }
    }
}

/// Output written in large blocks to a file descriptor (standard output): the batch commands' lines are appended to
/// one reusable buffer, flushed when it passes ``flushBytes`` and at the end.
struct OutputBuffer {
    static let flushBytes = 1 << 16
    private let descriptor: Int32
    private var bytes: [UInt8] = []

    init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        bytes.reserveCapacity(Self.flushBytes + 4096)
    }

    /// Lets `write` append whole lines (each with its newline) to the buffer; answers what `write` answers.
    mutating func append<T>(_ write: (inout [UInt8]) -> T) -> T {
        let result = write(&bytes)
        if bytes.count >= Self.flushBytes { flush() }
        return result
    }

    /// Writes everything buffered. A failing output stops the command with exit code 74 and a message; a closed
    /// pipe stops it by SIGPIPE, as `print` would.
    mutating func flush() {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let message = "boleto: cannot write standard output (errno \(errno)).\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                exit(74)
            }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

/// The input lines of a batch command: standard input as a ``LineStream``, or the command's arguments.
struct BatchLines {
    /// Standard input's lines, when they are the source.
    private(set) var stream: LineStream?
    private var arguments: IndexingIterator<[String]>

    init(_ stream: LineStream) {
        self.stream = stream
        arguments = [String]().makeIterator()
    }

    init(_ arguments: [String]) {
        stream = nil
        self.arguments = arguments.makeIterator()
    }

    /// Passes the next line's bytes to `body` (see ``LineStream/withNextLine(_:)``); nil at the end.
    mutating func withNext<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R? {
        if stream != nil { return stream!.withNextLine(body) }
        guard var argument = arguments.next() else { return nil }
        return argument.withUTF8 { body($0) }
    }
}

/// The loop of `barcode --jsonl` and `parse --jsonl`: one output line per input line the command answers.
enum Batch {
    /// `text` without leading or trailing whitespace and newlines: Foundation's `trimmingCharacters(in:
    /// .whitespacesAndNewlines)`, which goes through UTF-16, only when an end is not a visible ASCII character.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        let visible: ClosedRange<UInt8> = 0x21...0x7E
        return visible.contains(first) && visible.contains(last) ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One line's answer: writes its output line (with its newline) to the bytes given, and answers whether the line
    /// succeeded, or nil when it skipped the line. Its input is the line's bytes, nil for a line too long to keep
    /// (``LineStream/Line/init(_:)`` reads them as text). An answer may remember the lines before (``IssuerCache``).
    typealias Answer = (UnsafeBufferPointer<UInt8>?, inout [UInt8]) -> Bool?

    /// Makes an ``Answer``: one for the whole input, or one per chunk with `--jobs`.
    typealias MakeAnswer = @Sendable () -> Answer

    /// Runs an answer on every line, on `jobs` cores when the lines come from standard input and `jobs` is over 1
    /// (``ParallelBatch``), writing the outputs in input order. Answers whether every line succeeded.
    static func run(_ lines: inout BatchLines, jobs: Int = 1, _ make: MakeAnswer) -> Bool {
        if jobs > 1, var stream = lines.stream { return ParallelBatch.run(&stream, jobs: jobs, make) }
        let answer = make()
        var output = OutputBuffer()
        var allOK = true
        while let result = lines.withNext({ bytes in output.append { answer(bytes, &$0) } }) {
            guard let ok = result else { continue }
            allOK = allOK && ok
        }
        output.flush()
        return allOK
    }

    /// `json`'s compact text and a newline.
    static func append(_ json: JSON, to out: inout [UInt8]) {
        json.write(to: &out)
        out.append(0x0A)
    }

    /// The most cores `--jobs` takes.
    static let maxJobs = 256

    /// Checks a `--jobs` value.
    static func validate(jobs: Int) throws {
        guard (1...maxJobs).contains(jobs) else {
            throw ValidationError("--jobs must be between 1 and \(maxJobs).")
        }
    }
}
