import BoletoKit
import Providers

/// The reference microservice: HTTP API and worker, composed from BoletoKit and Providers.
///
/// It arrives with the reference-service issue; for now it only names the layer so the dependency direction
/// (ReferenceService → Providers → BoletoKit) is fixed in the package.
public enum ReferenceService {
    /// The version of the service contract.
    public static let apiVersion = "0.1.0"
}
