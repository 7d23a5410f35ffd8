import BoletoJSON
import Foundation
import SQS

/// The SQS registration queue (`BOLETO_SQS_REGISTER_QUEUE`), its URL resolved once and cached, so the service
/// starts even while SQS is unreachable.
final class RegistrationQueue: Sendable {
    let sqs: SQSClient
    let name: String
    private let cache = URLCache()

    init(sqs: SQSClient, name: String) {
        self.sqs = sqs
        self.name = name
    }

    private actor URLCache {
        var url: String?
        func get(_ resolve: () async throws -> String) async throws -> String {
            if let url { return url }
            let resolved = try await resolve()
            url = resolved
            return resolved
        }
    }

    func url() async throws -> String {
        try await cache.get { try await sqs.getQueueURL(name: name) }
    }

    /// The message body: the boleto, the outbox job it came from, and the attempts already made (the
    /// synchronous one).
    struct Body: Sendable, Equatable {
        var boletoID: String
        var jobID: String
        var attempts: Int

        var text: String {
            JSON.object([("boleto_id", .string(boletoID)), ("job_id", .string(jobID)), ("attempts", .int(Int64(attempts)))]).text
        }

        /// Nil for a body that is not one of ours (a poison message).
        init?(text: String) {
            guard let json = try? JSON.parse(text), case .string(let boleto)? = json["boleto_id"], boleto.hasPrefix("bol_") else {
                return nil
            }
            boletoID = boleto
            if case .string(let job)? = json["job_id"] { jobID = job } else { jobID = Identifiers.make("job") }
            if case .int(let attempts)? = json["attempts"] { self.attempts = Int(attempts) } else { self.attempts = 0 }
        }

        init(boletoID: String, jobID: String, attempts: Int) {
            self.boletoID = boletoID
            self.jobID = jobID
            self.attempts = attempts
        }
    }
}
