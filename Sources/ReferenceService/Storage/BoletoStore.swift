import Foundation

/// Storage errors the API maps onto responses.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique constraint was hit; `field` names the request field that collides.
    case duplicate(field: String)
    /// The database cannot be reached now (connection refused or lost, server shutting down). The API answers 503.
    case unavailable
}

/// The filters of `GET /boletos`.
public struct BoletoFilter: Sendable, Hashable {
    /// Exact status.
    public var status: BoletoStatus?
    /// Exact issuer.
    public var issuer: String?
    /// Exact title id.
    public var titleID: Int64?
    /// Exact token.
    public var token: String?
    /// Exact reference id.
    public var referenceID: String?
    /// Exact normalised CPF or CNPJ.
    public var payerDocumentNumber: String?
    /// Inclusive lower bound of `created_at`, a ``Timestamp`` text.
    public var createdFrom: String?
    /// Exclusive upper bound of `created_at`, a ``Timestamp`` text.
    public var createdTo: String?

    /// No filter.
    public init() {}
}

/// What a change to one boleto writes besides the boleto itself, in the same transaction.
public struct BoletoChange: Sendable {
    /// Events to append.
    public var events: [BoletoEvent] = []
    /// Outbox jobs to queue.
    public var jobs: [OutboxJob] = []
    /// Outbox jobs of this boleto to delete (a registration that is no longer needed).
    public var removeJobKinds: [JobKind] = []
    /// Whether the boleto row itself changed.
    public var changed = false
    /// The statuses the boleto entered, in order (``StatusMachine`` appends them; the service counts them in its
    /// metrics once the change is committed).
    public var entered: [BoletoStatus] = []
    /// When a move to `registered` schedules the boleto's first query of its bank (the reconciler's schedule, which
    /// the caller knows); nil queues the job unscheduled, to be scheduled at its first claim.
    public var firstReconcile: Date? = nil

    /// Nothing to write.
    public init() {}
}

/// The beneficiary account a nosso número is allocated in.
public struct BeneficiaryAccount: Sendable, Hashable {
    /// The FEBRABAN layout code.
    public var bank: String
    /// Agency digits.
    public var agency: String
    /// Account digits.
    public var account: String
}

/// A boleto as a multi-boleto change leaves it, with what else to write for it.
public struct BoletoWrite: Sendable {
    /// The boleto afterwards (written when `change.changed`).
    public var record: BoletoRecord
    public var change: BoletoChange
}

/// What `createRemessa`'s closure answers: the file, and the change of each boleto it carries.
public struct RemessaDraft: Sendable {
    public var remessa: RemessaRecord
    public var writes: [BoletoWrite]
}

/// What `applyRetorno`'s closure answers: the response to record, and the boletos' changes.
public struct RetornoDraft: Sendable {
    /// The upload's response (JSON text), answered again for the same file.
    public var result: String
    public var writes: [BoletoWrite]
}

/// The clients behind the API keys.
public protocol ClientStore: Sendable {
    /// Stores a new client.
    func insertClient(_ client: ClientRecord) async throws
    /// A client by id.
    func client(id: String) async throws -> ClientRecord?
    /// How many clients exist.
    func clientCount() async throws -> Int
}

/// Beneficiary configurations.
public protocol ConfigurationStore: Sendable {
    /// Stores a configuration; a duplicate external id throws ``StoreError/duplicate(field:)``.
    func insertConfiguration(_ configuration: ConfigurationRecord) async throws
    /// Rewrites a configuration's account fields.
    func updateConfiguration(_ configuration: ConfigurationRecord) async throws
    /// A client's configuration by id.
    func configuration(clientID: String, id: String) async throws -> ConfigurationRecord?
    /// A client's configuration by external id.
    func configuration(clientID: String, externalID: String) async throws -> ConfigurationRecord?
}

/// `Idempotency-Key` reservations and their stored answers.
public protocol IdempotencyStore: Sendable {
    /// Remembers an idempotency key unless it is already known; answers the stored record when it is.
    func reserveIdempotencyKey(_ record: IdempotencyRecord) async throws -> IdempotencyRecord?
    /// Stores the response of a reserved key.
    func completeIdempotencyKey(clientID: String, key: String, statusCode: Int, body: String) async throws
    /// Forgets a reserved key that made nothing (after a 5xx).
    func releaseIdempotencyKey(clientID: String, key: String) async throws
    /// A remembered key.
    func idempotencyRecord(clientID: String, key: String) async throws -> IdempotencyRecord?
    /// Forgets keys created before `cutoff`; answers how many.
    func purgeIdempotencyKeys(before cutoff: String) async throws -> Int
}

/// Boletos, their changes and their events.
public protocol BoletoRepository: Sendable {
    /// Creates a boleto in one transaction: allocates its title id in `account` (or checks the requested one is
    /// free), builds the record with `make`, and writes it with its events and jobs. With `idempotency`, the key's
    /// record is pointed at the new boleto in the same transaction.
    func createBoleto(
        account: BeneficiaryAccount, requestedTitleID: Int64?, idempotency: (clientID: String, key: String)?,
        make: @escaping @Sendable (Int64) throws -> (BoletoRecord, BoletoChange)
    ) async throws -> BoletoRecord

    /// Reads a boleto; with `clientID`, only that client's.
    func boleto(id: String, clientID: String?) async throws -> BoletoRecord?
    /// A page of a client's boletos, newest first, and the total that match.
    func boletos(clientID: String, filter: BoletoFilter, page: Int, count: Int) async throws -> (records: [BoletoRecord], total: Int)
    /// Changes a boleto in one transaction: `change` sees the current row and answers what else to write.
    /// Answers nil when there is no such boleto (for that client).
    func updateBoleto(
        id: String, clientID: String?, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord?
    /// Changes a boleto that the caller holds as `expected` (it just wrote or read it): `change` runs on `expected`, and
    /// its writes apply only if the stored row is still as `expected` in every column a change can touch. Otherwise,
    /// or where the store has no single statement for this, it is ``updateBoleto(id:clientID:_:)``, so `change` may
    /// run twice and must only compute.
    func updateBoleto(
        expected: BoletoRecord, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord?
    /// A boleto's events, oldest first.
    func events(boletoID: String) async throws -> [BoletoEvent]
    /// The boleto whose token is `token`, any client (the payer's page).
    func boleto(token: String) async throws -> BoletoRecord?
    /// The boletos of `issuer`, any client, whose title id is `titleID` (a bank's notification names titles, not
    /// boletos); at most `limit`, newest first.
    func boletos(issuer: String, titleID: Int64, limit: Int) async throws -> [BoletoRecord]
}

/// The outbox (jobs written with the changes that caused them) and the dead letters.
public protocol OutboxStore: Sendable {
    /// Claims up to `limit` due jobs of `kinds`, hiding them from other claimers until `leaseUntil`.
    func claimJobs(kinds: [JobKind], now: String, leaseUntil: String, limit: Int) async throws -> [OutboxJob]
    /// Deletes a finished job.
    func completeJob(id: String) async throws
    /// Puts a job back for a later attempt. Its attempt count never goes down: a late writer of an older attempt
    /// cannot give the job an attempt back.
    func rescheduleJob(id: String, attempts: Int, availableAt: String, lastError: String) async throws
    /// Moves a job to the dead-letter table, with an event on its boleto.
    func deadLetterJob(_ job: OutboxJob, attempts: Int, lastError: String, event: BoletoEvent?) async throws
    /// Pending outbox jobs per kind.
    func pendingJobCounts() async throws -> [JobKind: Int]
    /// Dead-lettered jobs per kind.
    func deadLetterCounts() async throws -> [JobKind: Int]
    /// The dead-lettered job `id`, or nil (a primary-key read).
    func deadLetter(id: String) async throws -> DeadLetter?
    /// Dead-lettered jobs, oldest first; with `boletoID`, only that boleto's.
    func deadLetters(boletoID: String?, limit: Int) async throws -> [DeadLetter]
    /// Moves dead-lettered jobs (all, or one boleto's) back to the outbox in one transaction, due now with their
    /// attempts reset. Answers how many moved.
    func requeueDeadLetters(boletoID: String?) async throws -> Int
    /// The outbox jobs of one boleto (for operations and tests).
    func jobs(boletoID: String) async throws -> [OutboxJob]
}

/// Remessa and retorno files, each applied in one transaction.
public protocol CNABFileStore: Sendable {
    /// Writes a remessa in one transaction. `make` gets the boletos of `configuration`'s account that wait for a
    /// remessa (issuer `cnab`, status `issued`, registration asked; oldest first) and the file's sequence number (one
    /// more than the configuration's last remessa, or `firstSequence` when that is higher: a number can be skipped
    /// forward, never reused); it answers the file and each
    /// boleto's change, or nil to write nothing. Concurrent calls for one configuration run one after the other, so
    /// no boleto is carried by two files and no sequence number is used twice.
    func createRemessa(configuration: ConfigurationRecord, account: BeneficiaryAccount, firstSequence: Int,
                       make: @escaping @Sendable ([BoletoRecord], Int) throws -> RemessaDraft?) async throws -> RemessaRecord?
    /// A client's remessa by id.
    func remessa(clientID: String, id: String) async throws -> RemessaRecord?
    /// Applies a retorno in one transaction, once per client and file: when `retorno.sha256` is already recorded
    /// for the client, nothing runs and the recorded retorno is answered with `replayed` true. Otherwise `apply`
    /// gets the `cnab` boletos of `account` whose title ids are in `titleIDs` (locked; boletos of other issuers in the
    /// same account are never a retorno's), and its writes and result are
    /// stored with the retorno.
    func applyRetorno(_ retorno: RetornoRecord, account: BeneficiaryAccount, titleIDs: [Int64],
                      apply: @escaping @Sendable ([Int64: BoletoRecord]) throws -> RetornoDraft) async throws
        -> (record: RetornoRecord, replayed: Bool)
}

/// Carnês: installments created together.
public protocol CarneStore: Sendable {
    /// Creates a carnê in one transaction, all or nothing: reserves `count` title ids of `account` (numbers of a
    /// failed carnê are skipped, never reused), builds the boletos with `make`, and writes them (events and jobs
    /// included) with the carnê row; with `idempotency`, the key's record points at the carnê.
    func createCarne(_ carne: CarneRecord, account: BeneficiaryAccount, count: Int, idempotency: (clientID: String, key: String)?,
                     make: @escaping @Sendable ([Int64]) throws -> [(BoletoRecord, BoletoChange)]) async throws -> [BoletoRecord]
    /// A carnê (with `clientID`, only that client's), with its boletos in order; nil when there is none.
    func carne(clientID: String?, id: String) async throws -> (carne: CarneRecord, boletos: [BoletoRecord])?
}

/// The service's storage: every concern's protocol, implemented by the embedded SQLite store and by Postgres.
/// Every method is one transaction. Callers that need one concern take that concern's protocol.
public protocol BoletoStore: ClientStore, ConfigurationStore, IdempotencyStore, BoletoRepository, OutboxStore,
    CNABFileStore, CarneStore {
    /// Applies pending migrations; answers the versions it applied.
    func migrate() async throws -> [Int]
    /// Fails unless the database answers.
    func ping() async throws
    /// Closes the store; further calls fail.
    func close() async throws
}

extension BoletoRepository {
    /// Without a compare-and-set statement: the locking change.
    public func updateBoleto(
        expected: BoletoRecord, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord? {
        try await updateBoleto(id: expected.id, clientID: nil, change)
    }
}
