/// Whose file a retorno is: the beneficiary's identification as the bank writes it in the file header (and, for
/// Bradesco's CNAB 400, in every title, whose header carries only the código da empresa).
///
/// Each part is the field's text with surrounding spaces removed, or nil where the layout has no such field or the
/// file leaves it blank or zero-filled. Compare them with ``mismatches(with:)``, which ignores leading zeros.
public struct CNABBeneficiary: Sendable, Hashable {
    /// The parts a file can name.
    public enum Part: String, Sendable, Hashable, CaseIterable {
        /// The beneficiary's agency (without its check digit).
        case agency
        /// The beneficiary's account (without its check digit).
        case account
        /// The bank's code for the beneficiary's contract: Banco do Brasil's convênio, Bradesco's código da empresa,
        /// Caixa's and Santander's código do beneficiário.
        case code
    }

    /// The agency, as written.
    public var agency: String?
    /// The account, as written.
    public var account: String?
    /// The contract code, as written.
    public var code: String?

    public init(agency: String? = nil, account: String? = nil, code: String? = nil) {
        self.agency = agency
        self.account = account
        self.code = code
    }

    public subscript(part: Part) -> String? {
        switch part {
        case .agency: agency
        case .account: account
        case .code: code
        }
    }

    /// True when no part is named.
    public var isEmpty: Bool { agency == nil && account == nil && code == nil }

    /// Reads the fields named `agency`, `account` and `code` among `fields` from `line`.
    static func read(_ line: CNABLine, _ fields: [CNABField]) -> CNABBeneficiary {
        var read = CNABBeneficiary()
        for field in fields {
            let text = line.text(field)
            let value = text.isEmpty || text.allSatisfy({ $0 == "0" }) ? nil : text
            switch Part(rawValue: field.name) {
            case .agency: read.agency = value
            case .account: read.account = value
            case .code: read.code = value
            case nil: continue
            }
        }
        return read
    }

    /// One part that names someone else.
    public struct Mismatch: Sendable, Hashable {
        public var part: Part
        /// The file's value.
        public var found: String
        /// The expected value.
        public var expected: String
    }

    /// Compares this file's parts with `expected` (the configuration's): each part both name must be equal once
    /// leading zeros are removed. Answers the parts that differ and how many parts were compared.
    public func mismatches(with expected: CNABBeneficiary) -> (mismatches: [Mismatch], compared: Int) {
        var mismatches: [Mismatch] = []
        var compared = 0
        for part in Part.allCases {
            guard let found = self[part], let wanted = expected[part], !Self.normalized(wanted).isEmpty else { continue }
            compared += 1
            if Self.normalized(found) != Self.normalized(wanted) {
                mismatches.append(Mismatch(part: part, found: found, expected: wanted))
            }
        }
        return (mismatches, compared)
    }

    /// An identifier without surrounding spaces and leading zeros, so `01467` and `1467` are the same agency.
    public static func normalized(_ value: String) -> String {
        let trimmed = value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        return String(trimmed.drop { $0 == "0" })
    }
}
