/// Title ids handed out from blocks that a process reserves in the database, so that creates in one beneficiary
/// account never wait on each other for longer than the reservation of a block.
///
/// A block is reserved by one short statement of its own (the account's sequence moves `size` ahead and commits at
/// once); the numbers in it are then handed out in memory, in order. Numbers stay unique per account across any
/// number of processes, because blocks never overlap. A number whose create fails, and the rest of a block when the
/// process stops, are skipped, never reused.
///
/// Only one reservation per account is under way at a time in a process: creates that find the block empty while
/// one is being reserved wait for it rather than reserving blocks of their own.
actor TitleBlocks {
    private struct Block {
        var next: Int64
        let end: Int64
    }

    /// How many numbers a reservation takes.
    let size: Int64
    private var blocks: [BeneficiaryAccount: Block] = [:]
    private var refills: [BeneficiaryAccount: Task<Block, any Error>] = [:]

    /// Blocks of `size` numbers (at least 1).
    init(size: Int) {
        self.size = Int64(max(1, size))
    }

    /// The next number of `account`. `reserve(size)` moves the account's sequence `size` ahead in the database and
    /// answers the first number of the block it took.
    func next(_ account: BeneficiaryAccount,
              reserve: @escaping @Sendable (Int64) async throws -> Int64) async throws -> Int64 {
        while true {
            if var block = blocks[account], block.next < block.end {
                let number = block.next
                block.next += 1
                blocks[account] = block
                return number
            }
            let refill: Task<Block, any Error>
            if let running = refills[account] {
                // Another create is reserving this account's next block: take a number from it once it is there. A
                // failed reservation fails its waiters too (the database is the same for all of them).
                refill = running
            } else {
                let size = self.size
                refill = Task { () async throws -> Block in
                    let first = try await reserve(size)
                    return Block(next: first, end: first + size)
                }
                refills[account] = refill
            }
            do {
                let block = try await refill.value
                // Whoever resumes first installs the block; the others find it installed.
                if refills[account] == refill {
                    refills[account] = nil
                    blocks[account] = block
                }
            } catch {
                if refills[account] == refill { refills[account] = nil }
                throw error
            }
        }
    }
}
