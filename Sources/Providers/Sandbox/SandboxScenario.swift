/// How the sandbox bank answers a registration. Chosen by the caller (a configuration or a request header), never
/// by magic amounts.
public enum SandboxScenario: String, CaseIterable, Hashable, Sendable {
    /// Registers the title at once (the default).
    case registered
    /// Refuses the title with code `SBX01`.
    case refused
    /// Answers a transient failure on the first attempt for the title, then registers it.
    case transient
    /// Answers a transient failure on every attempt (exercises retries and the dead-letter table).
    case unavailable
    /// Records the title at once but answers only after the sandbox's slow delay, like a bank that registered the
    /// title and then timed out. A retry then answers "already registered".
    case slow
    /// Registers the title at once; from then on the bank reports it paid in full (on the day asked, through channel
    /// `SANDBOX`) whenever it is asked about the title: by the reconciler, or after a notification.
    case paid

    /// The hint key under which ``RegistrationRequest/hints`` carries the scenario.
    public static let hintKey = "scenario"
}
