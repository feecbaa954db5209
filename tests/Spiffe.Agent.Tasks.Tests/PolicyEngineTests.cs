using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Tasks.Policy;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class PolicyEngineTests
{
    private const string NoSecrets = """
        {
          // Research agents never touch secret data, and only read confidential data.
          "name": "researcher-data",
          "agents": ["researcher"],
          "rule": "request.data_class != 'secret' && (request.data_class != 'confidential' || request.intent == 'read')",
          "reason": "researchers may only read confidential data and never touch secret data",
          "obligations": { "max_ttl_seconds": 300 }
        }
        """;

    private const string ShortLived = """
        { "name": "short-lived", "agents": ["*"], "rule": "task.seconds_left > 10", "reason": "the task is about to end", "obligations": { "max_ttl_seconds": 60 } }
        """;

    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider time = null!;
    private string directory = null!;
    private ListLogger<PolicyEngine> logger = null!;

    [SetUp]
    public void SetUp()
    {
        time = new FakeTimeProvider(Start);
        directory = Directory.CreateTempSubdirectory("spiffe-policy-test-").FullName;
        logger = new ListLogger<PolicyEngine>();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [TestCase("read", "public", true)]
    [TestCase("write", "public", true)]
    [TestCase("read", "confidential", true)]
    [TestCase("write", "confidential", false)]
    [TestCase("read", "secret", false)]
    public void Evaluate_IntentAndDataClass_AllowsOrDenies(string intent, string dataClass, bool allowed)
    {
        // Arrange
        Write("researcher.json", NoSecrets);
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("researcher", intent: intent, dataClass: dataClass));

        // Assert
        Assert.That(decision.IsAllowed, Is.EqualTo(allowed));
        Assert.That(decision.Policies.Select(p => p.Name), Is.EqualTo(new[] { "researcher-data" }));
    }

    [Test]
    public void Evaluate_Denied_CarriesPolicyNameReasonAndFileHash()
    {
        // Arrange
        Write("researcher.json", NoSecrets);
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("researcher", intent: "read", dataClass: "secret"));

        // Assert
        Assert.That(decision.IsAllowed, Is.False);
        Assert.That(
            decision.DenialMessage,
            Is.EqualTo("denied by policy researcher-data: researchers may only read confidential data and never touch secret data"));
        Assert.That(decision.DeniedBy, Is.EqualTo(new PolicyRef("researcher-data", Sha256Of("researcher.json"))));
        Assert.That(decision.Obligations, Is.EqualTo(PolicyObligations.None));
    }

    [Test]
    public void Evaluate_OtherAgent_PolicyDoesNotApply()
    {
        // Arrange
        Write("researcher.json", NoSecrets);
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("writer", intent: "write", dataClass: "secret"));

        // Assert
        Assert.That(decision.IsAllowed, Is.True);
        Assert.That(decision.Policies, Is.Empty);
    }

    [Test]
    public void Evaluate_WildcardAndNamedPolicies_MergeObligationsToLowestTtl()
    {
        // Arrange
        Write("researcher.json", NoSecrets);
        Write("short.json", ShortLived);
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("researcher", secondsLeft: 100));

        // Assert
        Assert.That(decision.IsAllowed, Is.True);
        Assert.That(decision.Obligations.MaxTtl, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(decision.Policies, Is.EqualTo(new[]
        {
            new PolicyRef("researcher-data", Sha256Of("researcher.json")),
            new PolicyRef("short-lived", Sha256Of("short.json")),
        }));
    }

    [Test]
    public void Evaluate_WildcardPolicy_AppliesToEveryAgent()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("anyone", secondsLeft: 5));

        // Assert
        Assert.That(decision.DenialMessage, Is.EqualTo("denied by policy short-lived: the task is about to end"));
    }

    [Test]
    public void Evaluate_WorkloadAndRequestFields_AreVisibleToRules()
    {
        // Arrange
        Write("facts.json", """
            {
              "name": "facts",
              "agents": ["*"],
              "rule": "workload.selectors.exists(s, s.startsWith('unix:uid:')) && workload.uid == 1000 && workload.path == '/usr/bin/agent' && size(workload.sha256) == 64 && task.id == 't-1' && task.parent == 'p-1' && request.method == 'FetchJWTSVID' && 'https://api' in request.audiences && request.spiffe_id.startsWith('spiffe://example.org/')",
              "reason": "facts do not match"
            }
            """);
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("researcher"));

        // Assert
        Assert.That(decision.IsAllowed, Is.True, decision.DenialMessage);
    }

    [Test]
    public void Evaluate_RuleFailsAtRuntime_DeniesWithError()
    {
        // Arrange
        Write("index.json", """{ "name": "index", "agents": ["*"], "rule": "request.audiences[3] == 'x'", "reason": "no" }""");
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("researcher"));

        // Assert
        Assert.That(engine.Status.IsHealthy, Is.True);
        Assert.That(decision.IsAllowed, Is.False);
        Assert.That(decision.DenialMessage, Does.StartWith("denied by policy index: rule failed:"));
    }

    [Test]
    public void Reload_FileChanged_NewVersionInForceWithNewHash()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();
        var before = engine.Evaluate(Input("researcher", secondsLeft: 30));

        // Act
        Write("short.json", ShortLived.Replace("task.seconds_left > 10", "task.seconds_left > 60", StringComparison.Ordinal));
        var status = engine.Reload();
        var after = engine.Evaluate(Input("researcher", secondsLeft: 30));

        // Assert
        Assert.That(before.IsAllowed, Is.True);
        Assert.That(after.IsAllowed, Is.False);
        Assert.That(after.DeniedBy!.Sha256, Is.EqualTo(Sha256Of("short.json")).And.Not.EqualTo(before.Policies[0].Sha256));
        Assert.That(status.IsHealthy, Is.True);
    }

    [Test]
    public void Reload_FileBroken_KeepsPreviousVersionAndReportsIt()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();
        var goodHash = Sha256Of("short.json");

        // Act
        Write("short.json", """{ "name": "short-lived", "agents": ["*"], "rule": "task.seconds_left >", "reason": "x" }""");
        var status = engine.Reload();
        var decision = engine.Evaluate(Input("researcher", secondsLeft: 5));

        // Assert
        Assert.That(decision.DenialMessage, Is.EqualTo("denied by policy short-lived: the task is about to end"));
        Assert.That(decision.DeniedBy!.Sha256, Is.EqualTo(goodHash));
        Assert.That(status.IsHealthy, Is.False);
        var file = status.Files.Single();
        Assert.That(file.State, Is.EqualTo(PolicyFileState.InvalidKeepingPrevious));
        Assert.That(file.InForce, Is.EqualTo(new PolicyRef("short-lived", goodHash)));
        Assert.That(file.Error, Does.StartWith("rule does not compile"));
        Assert.That(logger.EventNames, Does.Contain("PolicyInvalid"));
        Assert.That(engine.Status, Is.SameAs(status));
    }

    [Test]
    public void Reload_BrokenFileFixed_BecomesHealthy()
    {
        // Arrange
        Write("short.json", "{");
        var engine = CreateEngine();
        var broken = engine.Status;

        // Act
        Write("short.json", ShortLived);
        var status = engine.Reload();

        // Assert
        Assert.That(broken.Files.Single().State, Is.EqualTo(PolicyFileState.InvalidDenyingAll));
        Assert.That(status.IsHealthy, Is.True);
        Assert.That(engine.Evaluate(Input("researcher", secondsLeft: 100)).IsAllowed, Is.True);
    }

    [Test]
    public void Evaluate_BrokenFileWithoutPreviousVersion_DeniesEverything()
    {
        // Arrange
        Write("short.json", ShortLived);
        Write("typo.json", """{ "name": "typo", "agents": ["*"], "rule": "reqest.intent == 'read'", "reason": "x" }""");
        var engine = CreateEngine();

        // Act
        var decision = engine.Evaluate(Input("researcher", secondsLeft: 100));

        // Assert
        Assert.That(decision.IsAllowed, Is.False);
        Assert.That(decision.DenialMessage, Does.StartWith("denied by policy typo.json: the policy file is invalid (rule is invalid:"));
        Assert.That(decision.DeniedBy, Is.EqualTo(new PolicyRef("typo.json", Sha256Of("typo.json"))));
        Assert.That(engine.Status.Files.Select(f => f.State), Is.EqualTo(new[] { PolicyFileState.Loaded, PolicyFileState.InvalidDenyingAll }));
    }

    [Test]
    public void Reload_FileRemoved_PolicyNoLongerApplies()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();

        // Act
        File.Delete(Path.Combine(directory, "short.json"));
        var status = engine.Reload();

        // Assert
        Assert.That(status.Files, Is.Empty);
        Assert.That(engine.Evaluate(Input("researcher", secondsLeft: 1)).IsAllowed, Is.True);
        Assert.That(logger.EventNames, Does.Contain("PolicyRemoved"));
    }

    [Test]
    public void Reload_UnchangedFile_IsNotRecompiled()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();
        var loadedBefore = logger.EventNames.Count(n => n == "PolicyLoaded");

        // Act
        engine.Reload();
        engine.Reload();

        // Assert
        Assert.That(logger.EventNames.Count(n => n == "PolicyLoaded"), Is.EqualTo(loadedBefore));
    }

    [Test]
    public void Reload_DuplicateNames_LaterFileDeniesAll()
    {
        // Arrange
        Write("a.json", ShortLived);
        Write("b.json", ShortLived.Replace("about to end", "ending", StringComparison.Ordinal));

        // Act
        var engine = CreateEngine();

        // Assert
        Assert.That(engine.Status.Files[1].Error, Does.StartWith("duplicate policy name 'short-lived'"));
        Assert.That(engine.Evaluate(Input("researcher", secondsLeft: 100)).DenialMessage, Does.StartWith("denied by policy b.json"));
    }

    [Test]
    public void Constructor_DirectoryMissing_DeniesAllAndReports()
    {
        // Arrange
        Directory.Delete(directory);

        // Act
        var engine = CreateEngine();
        Directory.CreateDirectory(directory);

        // Assert
        Assert.That(engine.Status.DirectoryError, Is.Not.Null);
        Assert.That(engine.Status.IsHealthy, Is.False);
        Assert.That(engine.Evaluate(Input("researcher")).DenialMessage, Does.StartWith("denied by policy directory"));
        Assert.That(logger.EventNames, Does.Contain("PolicyDirectoryUnreadable"));
    }

    [Test]
    public void Reload_DirectoryRemovedAfterLoad_KeepsPolicies()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();

        // Act
        Directory.Delete(directory, recursive: true);
        var status = engine.Reload();
        Directory.CreateDirectory(directory);

        // Assert
        Assert.That(status.DirectoryError, Is.Not.Null);
        Assert.That(engine.Evaluate(Input("researcher", secondsLeft: 5)).DenialMessage, Is.EqualTo("denied by policy short-lived: the task is about to end"));
        Assert.That(engine.Evaluate(Input("researcher", secondsLeft: 50)).IsAllowed, Is.True);
    }

    [Test]
    public async Task PolicyReloader_FileChangedAndIntervalPassed_Reloads()
    {
        // Arrange
        Write("short.json", ShortLived);
        var engine = CreateEngine();
        var options = Options.Create(new PolicyOptions { Directory = directory, ReloadInterval = TimeSpan.FromSeconds(2) });
        using var reloader = new PolicyReloader(engine, options, time, new ListLogger<PolicyReloader>());
        await reloader.StartAsync(CancellationToken.None);
        Write("short.json", ShortLived.Replace("> 10", "> 1000", StringComparison.Ordinal));

        // Act: the reloader's timer starts on a thread-pool thread, so keep the fake clock moving until it fires.
        await Wait.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(2));
                return !engine.Evaluate(Input("researcher", secondsLeft: 100)).IsAllowed;
            },
            "the reloader picks up the change");

        // Assert
        Assert.That(engine.Status.CheckedAt, Is.GreaterThan(Start));
        Assert.That(engine.Status.IsHealthy, Is.True);
        await reloader.StopAsync(CancellationToken.None);
    }

    [Test]
    public void TaskFacts_From_SecondsLeftIsWholeAndNeverNegative()
    {
        // Arrange
        var lease = new TaskLease("t", "a", null, Start, Start.AddSeconds(90.7), "/c", null, false);

        // Act
        var during = TaskFacts.From(lease, Start);
        var after = TaskFacts.From(lease, Start.AddMinutes(5));

        // Assert
        Assert.That(during, Is.EqualTo(new TaskFacts("t", "a", string.Empty, 90)));
        Assert.That(after.SecondsLeft, Is.Zero);
    }

    private PolicyEngine CreateEngine() =>
        new(Options.Create(new PolicyOptions { Directory = directory }), time, logger);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(directory, name), content);

    private string Sha256Of(string name) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, name))));

    private static PolicyInput Input(string agent, string intent = "read", string dataClass = "public", long secondsLeft = 600) => new(
        new WorkloadFacts(["unix:uid:1000", "unix:gid:1000"], 1000, "/usr/bin/agent", new string('a', 64)),
        new TaskFacts("t-1", agent, "p-1", secondsLeft),
        new RequestFacts("FetchJWTSVID", ["https://api"], "spiffe://example.org/agent/researcher", intent, dataClass));
}
