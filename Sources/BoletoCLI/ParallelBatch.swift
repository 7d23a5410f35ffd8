import Dispatch

/// `--jobs N` for `barcode --jsonl` and `parse --jsonl`: standard input's lines are gathered into chunks, `N` chunks
/// are answered at once on `N` threads, each into its own output and with its own answer (so an answer's memory of
/// the lines before, ``IssuerCache``, starts afresh with each chunk), and the outputs are written in input order. So
/// the output bytes and the exit status are those of one core, and memory stays bounded: at most `N` chunks of
/// ``linesPerChunk`` lines or ``bytesPerChunk`` bytes (a line is at most ``LineStream/maxLineBytes``) and their
/// outputs are held at once.
enum ParallelBatch {
    static let linesPerChunk = 8192
    static let bytesPerChunk = 4 << 20

    /// Lines copied out of the stream: their bytes end to end, and where each ends (-1: a line too long to keep).
    struct Chunk: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    static func run(_ stream: inout LineStream, jobs: Int, _ make: Batch.MakeAnswer) -> Bool {
        var output = OutputBuffer()
        var allOK = true
        var atEnd = false
        while !atEnd {
            var chunks: [Chunk] = []
            while chunks.count < jobs && !atEnd {
                var chunk = Chunk()
                chunk.bytes.reserveCapacity(bytesPerChunk / 4)
                while chunk.ends.count < linesPerChunk && chunk.bytes.count < bytesPerChunk {
                    let more: Void? = stream.withNextLine { bytes in
                        if let bytes {
                            chunk.bytes.append(contentsOf: bytes)
                            chunk.ends.append(chunk.bytes.count)
                        } else {
                            chunk.ends.append(-1)
                        }
                    }
                    if more == nil {
                        atEnd = true
                        break
                    }
                }
                if !chunk.ends.isEmpty { chunks.append(chunk) }
            }
            let round = chunks
            let results = Results(count: round.count)
            DispatchQueue.concurrentPerform(iterations: round.count) { index in
                results.store(answerAll(round[index], make()), at: index)
            }
            for index in round.indices {
                let (bytes, ok) = results.take(index)
                output.append { $0.append(contentsOf: bytes) }
                allOK = allOK && ok
            }
        }
        output.flush()
        return allOK
    }

    /// One chunk's output lines, and whether every line it answered succeeded.
    static func answerAll(_ chunk: Chunk, _ answer: Batch.Answer) -> ([UInt8], Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(chunk.bytes.count * 2)
        var allOK = true
        var start = 0
        chunk.bytes.withUnsafeBufferPointer { bytes in
            for end in chunk.ends {
                let line = end < 0 ? nil : UnsafeBufferPointer(rebasing: bytes[start..<end])
                if end >= 0 { start = end }
                if let ok = answer(line, &out) { allOK = allOK && ok }
            }
        }
        return (out, allOK)
    }

    /// One slot per chunk, each written by one thread and read after all have finished.
    private final class Results: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<([UInt8], Bool)?>

        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func store(_ result: ([UInt8], Bool), at index: Int) { slots[index] = result }

        func take(_ index: Int) -> ([UInt8], Bool) {
            defer { slots[index] = nil }
            return slots[index]!
        }
    }
}
