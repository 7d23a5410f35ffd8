import BoletoJSON
import Testing

/// The collecting decoder that request bodies go through.
@Suite("JSON value decoder")
struct JSONValueDecoderTests {
    struct Address: Decodable, Equatable {
        var zipcode: JSONField<String>
        var number: JSONField<JSON>
    }

    struct Body: Decodable {
        var name: JSONField<String>
        var amount: JSONField<Int64>
        var rate: JSONField<Double>
        var active: JSONField<Bool>
        var address: JSONField<Address>
        var tags: JSONField<[String]>
        var small: JSONField<Int8>
    }

    func decode(_ text: String) throws -> (value: Body?, issues: [JSONDecodingIssue]) {
        JSONValueDecoder().decode(Body.self, from: try JSON.parse(text))
    }

    @Test("reads every field, telling absent from null")
    func values() throws {
        let (body, issues) = try decode(#"{"name":"A","amount":5,"rate":1,"active":false,"address":{"zipcode":"01310100","number":7},"tags":["x"],"small":null}"#)
        #expect(issues.isEmpty)
        #expect(body?.name.value == "A")
        #expect(body?.amount.value == 5)
        #expect(body?.rate.value == 1.0)
        #expect(body?.active.value == false)
        #expect(body?.address.value == Address(zipcode: .present("01310100"), number: .present(.int(7))))
        #expect(body?.tags.value == ["x"])
        #expect(body?.small.isNull == true)
        #expect(body?.small.isSent == true)
        let (empty, none) = try decode("{}")
        #expect(none.isEmpty)
        #expect(empty?.name.isSent == false)
        #expect(empty?.address.value == nil)
    }

    @Test("collects every wrong type, unknown key and duplicate, with paths, and still reads the rest")
    func problems() throws {
        let (body, issues) = try decode(#"""
            {"name":5,"amount":1.5,"rate":"x","active":1,"address":{"zipcode":1,"extra":true,"number":"9"},
             "tags":["a",2],"small":300,"other":null,"other":1}
            """#)
        #expect(Set(issues.map(\.description)) == [
            "other is given more than once", "name is not a string", "amount is not an integer", "rate is not a number",
            "active is not a boolean", "address.zipcode is not a string", "tags.1 is not a string",
            "small is not an integer", "address.extra is not allowed", "other is not allowed",
        ])
        #expect(issues.count == 10)
        #expect(body?.address.value?.number.value == .string("9"))
        #expect(body?.name == .invalid)
        #expect(body?.active == .invalid)
        #expect(body?.tags.value == nil)
    }

    @Test("a nested value that is not an object, and a body that is not one")
    func shapes() throws {
        let (_, issues) = try decode(#"{"address":[1]}"#)
        #expect(issues == [JSONDecodingIssue(path: ["address"], kind: .wrongType(.object))])
        let (body, rootIssues) = JSONValueDecoder().decode(Body.self, from: .array([]))
        #expect(body == nil)
        #expect(rootIssues == [JSONDecodingIssue(path: [], kind: .wrongType(.object))])
    }

    @Test("plain (non-field) properties fail the value, reported once")
    func plain() throws {
        struct Strict: Decodable { var id: Int }
        let (missing, missingIssues) = JSONValueDecoder().decode(Strict.self, from: try JSON.parse("{}"))
        #expect(missing == nil)
        #expect(missingIssues.map(\.path) == [["id"]])
        let (wrong, wrongIssues) = JSONValueDecoder().decode(Strict.self, from: try JSON.parse(#"{"id":"1"}"#))
        #expect(wrong == nil)
        #expect(wrongIssues == [JSONDecodingIssue(path: ["id"], kind: .wrongType(.integer))])
        #expect(JSONValueDecoder().decode(Strict.self, from: try JSON.parse(#"{"id":3}"#)).value?.id == 3)
    }
}
