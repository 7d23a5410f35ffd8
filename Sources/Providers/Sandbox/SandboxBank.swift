import BoletoKit

/// The sandbox bank: a real, in-process implementation of ``BoletoRegistrar`` for development and tests.
///
/// It keeps state for as long as the process lives: a title (bank, agency, account, nosso número) registers once;
/// a second registration answers ``RegistrationOutcome/alreadyRegistered(code:message:)`` with code `SBX69`, as
/// Bradesco answers 69. Its scenario comes from the request's hints (``SandboxScenario/hintKey``); an absent or
/// unknown hint means ``SandboxScenario/registered``.
public actor SandboxBank: BoletoCanceler, BoletoQuerier {
    /// Codes the sandbox answers with.
    public enum Code {
        /// Refused (scenario `refused`).
        public static let refused = "SBX01"
        /// The title is registered already.
        public static let alreadyRegistered = "SBX69"
        /// A cancel of a title the sandbox does not hold.
        public static let notRegistered = "SBX04"
        /// A second cancel.
        public static let alreadyCanceled = "SBX05"
        /// A cancel or change of a paid title.
        public static let paid = "SBX06"
        /// A change of a title written off.
        public static let canceled = "SBX07"
    }

    private struct Title: Hashable {
        let bank: String, agency: String, account: String, nossoNumero: String
    }

    private var registered: Set<Title> = []
    private var canceled: Set<Title> = []
    private var paid: Set<Title> = []
    private var attempts: [Title: Int] = [:]
    private let slowDelay: Duration

    /// - Parameter slowDelay: how long the ``SandboxScenario/slow`` scenario takes to answer.
    public init(slowDelay: Duration = .seconds(5)) {
        self.slowDelay = slowDelay
    }

    /// Registers per the request's scenario hint; see ``SandboxScenario``.
    public func register(_ request: RegistrationRequest) async -> RegistrationOutcome {
        let title = Self.title(of: request)
        attempts[title, default: 0] += 1
        if registered.contains(title) {
            return .alreadyRegistered(code: Code.alreadyRegistered, message: "Title already registered.")
        }
        let scenario = request.hints[SandboxScenario.hintKey].flatMap(SandboxScenario.init(rawValue:)) ?? .registered
        switch scenario {
        case .registered:
            return accept(title, request)
        case .paid:
            paid.insert(title)
            return accept(title, request)
        case .refused:
            return .refused(code: Code.refused, message: "The sandbox bank refused the title (scenario refused).")
        case .transient:
            if attempts[title, default: 0] == 1 {
                return .transient(reason: "The sandbox bank is temporarily unavailable (first attempt).")
            }
            return accept(title, request)
        case .unavailable:
            return .transient(reason: "The sandbox bank is unavailable (scenario unavailable).")
        case .slow:
            let outcome = accept(title, request)
            do { try await Task.sleep(for: slowDelay) } catch {
                return .transient(reason: "The sandbox bank's answer was abandoned.")
            }
            return outcome
        }
    }

    /// Cancels a title the sandbox holds, once.
    public func cancel(_ request: RegistrationRequest) async -> CancellationOutcome {
        let title = Self.title(of: request)
        if canceled.contains(title) {
            return .alreadyCanceled(code: Code.alreadyCanceled, message: "Title already canceled.")
        }
        guard registered.contains(title) else {
            return .refused(code: Code.notRegistered, message: "The sandbox bank does not hold this title.")
        }
        guard !paid.contains(title) else { return .refused(code: Code.paid, message: "The title is paid.") }
        canceled.insert(title)
        return .canceled
    }

    /// What the sandbox holds for the request's title: `REGISTRADO`, `BAIXADO` or (scenario `paid`) `LIQUIDADO` with
    /// the boleto's amount paid today through channel `SANDBOX`, with the barcode and line it registered;
    /// ``QueryOutcome/notFound`` for a title it never registered.
    public func query(_ request: RegistrationRequest) async -> QueryOutcome {
        let title = Self.title(of: request)
        guard registered.contains(title) else { return .notFound }
        if paid.contains(title) && !canceled.contains(title) {
            return .found(status: "LIQUIDADO", barcode: request.boleto.barcode.description,
                          digitableLine: request.boleto.digitableLine.formatted, state: .paid,
                          payment: BankPayment(amountCents: request.input.amountCents, date: .todayInSaoPaulo(), channel: "SANDBOX"))
        }
        let writtenOff = canceled.contains(title)
        return .found(status: writtenOff ? "BAIXADO" : "REGISTRADO", barcode: request.boleto.barcode.description,
                      digitableLine: request.boleto.digitableLine.formatted, state: writtenOff ? .writtenOff : .open)
    }

    /// How many registration attempts the sandbox has seen for the request's title.
    public func attemptCount(for request: RegistrationRequest) -> Int {
        attempts[Self.title(of: request), default: 0]
    }

    private func accept(_ title: Title, _ request: RegistrationRequest) -> RegistrationOutcome {
        registered.insert(title)
        return .registered(barcode: request.boleto.barcode.description,
                           digitableLine: request.boleto.digitableLine.formatted,
                           nossoNumero: request.boleto.nossoNumero, bankURL: nil)
    }

    private static func title(of request: RegistrationRequest) -> Title {
        Title(bank: request.input.bank, agency: request.input.agency ?? "", account: request.input.account ?? "",
              nossoNumero: request.input.nossoNumero)
    }
}

extension SandboxBank: BoletoAlterer {
    /// The sandbox changes everything a boleto's terms hold.
    public nonisolated var alterable: Set<BoletoAlteration.Kind> { Set(BoletoAlteration.Kind.allCases) }

    /// Changes a title the sandbox holds, unless it is written off or paid.
    public func alter(_ request: RegistrationRequest, _ alteration: BoletoAlteration) async -> AlterationOutcome {
        let title = Self.title(of: request)
        guard registered.contains(title) else {
            return .refused(code: Code.notRegistered, message: "The sandbox bank does not hold this title.")
        }
        if canceled.contains(title) { return .refused(code: Code.canceled, message: "The title is written off.") }
        if paid.contains(title) { return .refused(code: Code.paid, message: "The title is paid.") }
        return .altered
    }
}
