/// A boleto's status, and the one place its transitions are decided.
///
/// ```
/// issued ──► registered | refused | pending_registration | canceled
/// pending_registration ──► registered | refused
/// registered ──► paid | canceled
/// ```
public enum BoletoStatus: String, CaseIterable, Sendable, Codable {
    case issued
    case pendingRegistration = "pending_registration"
    case registered
    case refused
    case paid
    case canceled

    /// The statuses a boleto may move to from this one.
    public var successors: Set<BoletoStatus> {
        switch self {
        case .issued: [.registered, .refused, .pendingRegistration, .canceled]
        case .pendingRegistration: [.registered, .refused]
        case .registered: [.paid, .canceled]
        case .refused, .paid, .canceled: []
        }
    }

    /// Whether a boleto in this status may move to `next`.
    public func canMove(to next: BoletoStatus) -> Bool { successors.contains(next) }

    /// Whether the worker may still try to register a boleto in this status.
    public var awaitsRegistration: Bool { self == .issued || self == .pendingRegistration }
}
