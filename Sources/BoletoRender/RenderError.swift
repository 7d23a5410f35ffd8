/// Why a boleto could not be rendered. The message never carries the boleto's data.
public struct RenderError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
