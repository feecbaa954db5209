using System.Text;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class PolicyDocumentTests
{
    private static IEnumerable<TestCaseData> InvalidDocuments()
    {
        yield return new TestCaseData("[]", "must be a JSON object").SetName("Parse_Array_Rejected");
        yield return new TestCaseData("{", "not valid JSON").SetName("Parse_TruncatedJson_Rejected");
        yield return new TestCaseData("""{ "agents": ["*"], "rule": "true", "reason": "r" }""", "'name'").SetName("Parse_NoName_Rejected");
        yield return new TestCaseData("""{ "name": "a b", "agents": ["*"], "rule": "true", "reason": "r" }""", "name 'a b'").SetName("Parse_BadName_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": [], "rule": "true", "reason": "r" }""", "'agents'").SetName("Parse_NoAgents_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": [1], "rule": "true", "reason": "r" }""", "agent '1'").SetName("Parse_NumericAgent_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "", "reason": "r" }""", "'rule'").SetName("Parse_EmptyRule_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "true" }""", "'reason'").SetName("Parse_NoReason_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "true", "reason": "r", "effect": "deny" }""", "unknown key 'effect'").SetName("Parse_UnknownKey_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "true", "reason": "r", "obligations": { "max_ttl": 5 } }""", "unknown obligation 'max_ttl'").SetName("Parse_UnknownObligation_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "true", "reason": "r", "obligations": { "max_ttl_seconds": 0 } }""", "positive integer").SetName("Parse_ZeroTtlObligation_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "true", "reason": "r", "obligations": { "max_ttl_seconds": 1.5 } }""", "positive integer").SetName("Parse_FractionalTtlObligation_Rejected");
        yield return new TestCaseData("""{ "name": "n", "agents": ["*"], "rule": "true", "reason": "r", "description": 7 }""", "'description'").SetName("Parse_NonStringDescription_Rejected");
    }

    [TestCaseSource(nameof(InvalidDocuments))]
    public void Parse_Invalid_ThrowsWithReason(string json, string expected)
    {
        // Act + Assert
        Assert.That(() => PolicyDocument.Parse(Encoding.UTF8.GetBytes(json)), Throws.InstanceOf<PolicyFormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void Parse_Complete_ReadsEveryField()
    {
        // Arrange
        const string Json = """
            {
              /* comments are allowed */
              "name": "p1",
              "description": "for people",
              "agents": ["researcher", "writer"],
              "rule": "true",
              "reason": "why",
              "obligations": { "max_ttl_seconds": 45 }
            }
            """;

        // Act
        var document = PolicyDocument.Parse(Encoding.UTF8.GetBytes(Json));

        // Assert
        Assert.That(document.Name, Is.EqualTo("p1"));
        Assert.That(document.Agents, Is.EqualTo(new[] { "researcher", "writer" }));
        Assert.That(document.Rule, Is.EqualTo("true"));
        Assert.That(document.Reason, Is.EqualTo("why"));
        Assert.That(document.Obligations.MaxTtl, Is.EqualTo(TimeSpan.FromSeconds(45)));
        Assert.That(document.AppliesTo("writer"), Is.True);
        Assert.That(document.AppliesTo("planner"), Is.False);
    }

    [Test]
    public void Merge_Obligations_LowerTtlWins()
    {
        // Arrange
        var sixty = new PolicyObligations(TimeSpan.FromSeconds(60));
        var thirty = new PolicyObligations(TimeSpan.FromSeconds(30));

        // Act + Assert
        Assert.That(sixty.Merge(thirty), Is.EqualTo(thirty));
        Assert.That(thirty.Merge(sixty), Is.EqualTo(thirty));
        Assert.That(PolicyObligations.None.Merge(sixty), Is.EqualTo(sixty));
        Assert.That(sixty.Merge(PolicyObligations.None), Is.EqualTo(sixty));
        Assert.That(PolicyObligations.None.Merge(PolicyObligations.None), Is.EqualTo(PolicyObligations.None));
    }
}
