using System.Net;
using System.Runtime.Versioning;
using Spiffe.Agent.Tests.Infrastructure;

namespace Spiffe.Agent.Tests;

/// <summary>
/// <c>/ready</c> with task-bound identities: a broken policy file makes the agent not ready (and says why), a fixed one
/// makes it ready again. Its own stack, since a broken file denies every task request while it is there.
/// </summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed class TaskReadinessEndToEndTests
{
    private const string ValidPolicy = """
        { "name": "any", "agents": ["*"], "rule": "true", "reason": "never denies" }
        """;

    private TaskStack _stack = null!;

    [OneTimeSetUp]
    public async Task StartStackAsync() =>
        _stack = await TaskStack.StartAsync("spready", new Dictionary<string, string> { ["any.json"] = ValidPolicy }, healthChecks: true);

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    [Test]
    public async Task Ready_BrokenPolicyFile_NotReadyWithTheFileUntilFixed()
    {
        // Arrange
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_stack.HealthPort}") };
        var healthy = await http.GetAsync(new Uri("/ready", UriKind.Relative)).DefaultTimeout();
        var broken = Path.Combine(_stack.PolicyDirectory, "broken.json");

        // Act
        await File.WriteAllTextAsync(broken, """{ "name": "broken", "agents": ["*"], "rule": "reqest.intent == 'read'", "reason": "typo" }""");
        HttpResponseMessage? notReady = null;
        await Eventually.WaitAsync(
            async () => (notReady = await http.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode == HttpStatusCode.InternalServerError,
            "/ready to report the broken policy");
        var body = await notReady!.Content.ReadAsStringAsync();
        File.Delete(broken);
        await Eventually.WaitAsync(
            async () => (await http.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            "/ready once the file is gone");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(healthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Does.Contain("\"healthy\":false"));
            Assert.That(body, Does.Contain("broken.json"));
            Assert.That(body, Does.Contain("InvalidDenyingAll"));
        }
    }
}
