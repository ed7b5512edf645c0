import ClaimCore
import Foundation
import Testing

/// `verify --format json` and `list --format json` print exactly one JSON document on stdout (issue 13).
@Suite struct JSONOutputTests {
    @Test func verifyPrintsOneDocumentWithRolesSourcesAndControls() throws {
        let run = try Invocation(["verify", "newton.lemma41-one-step", "--format", "json", "--controls"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["scale"] as? String == "quick")
        #expect(object["seed"] as? Int == Int(defaultMasterSeed))
        #expect(object["version"] is String)
        let claims = try #require(object["claims"] as? [[String: Any]])
        #expect(claims.count == 1)
        let claim = claims[0]
        #expect(claim["id"] as? String == "newton.lemma41-one-step")
        let source = try #require(claim["source"] as? [String: Any])
        #expect(["paper", "derived"].contains(source["kind"] as? String ?? ""))
        let checks = try #require(claim["checks"] as? [[String: Any]])
        #expect(!checks.isEmpty)
        for check in checks {
            #expect(CheckRole(rawValue: check["role"] as? String ?? "") != nil)
            #expect(check["binding"] is Bool && check["alternatives"] is [Any] && check["verdict"] is String)
        }
        let controls = try #require(claim["controls"] as? [[String: Any]])
        #expect(controls.allSatisfy { $0["verdict"] as? String == "violated" })
        #expect(!run.stdout.contains("claim  "), "no text table mixed into the JSON")
    }

    @Test func listPrintsEveryClaimWithParameterRanges() throws {
        let run = try Invocation(["list", "--format", "json"])
        #expect(run.status == 0)
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(!claims.isEmpty)
        for claim in claims {
            #expect(claim["source"] is [String: Any] && claim["controls"] is [Any])
            let parameters = try #require(claim["parameters"] as? [[String: Any]])
            #expect(parameters.allSatisfy { $0["type"] is String && $0["values"] is [String: Any] })
        }
    }
}
