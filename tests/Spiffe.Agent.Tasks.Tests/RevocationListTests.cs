using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Tasks.Revocation;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class RevocationListTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    private FakeTimeProvider time = null!;
    private string directory = null!;
    private RevocationList list = null!;

    [SetUp]
    public void SetUp()
    {
        time = new FakeTimeProvider(Start);
        directory = Directory.CreateTempSubdirectory("spiffe-revocation-test-").FullName;
        list = Create();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public void Revoke_JwtAndCertificate_AreRevokedUntilExpiryPlusRetention()
    {
        // Arrange
        var exp = Start.AddMinutes(10);

        // Act
        var added = list.Revoke("t1", [IssuedCredential.Jwt("jti-1", exp), IssuedCredential.X509("0x00FF", exp)]);

        // Assert
        Assert.That(added, Has.Count.EqualTo(2));
        Assert.That(list.IsRevokedJti("jti-1"), Is.True);
        Assert.That(list.IsRevokedJti("jti-2"), Is.False);
        Assert.That(list.IsRevokedSerial("FF"), Is.True);
        Assert.That(list.IsRevokedSerial("00:ff"), Is.True);
        Assert.That(list.IsRevokedSerial("fe"), Is.False);
        Assert.That(list.Snapshot().Select(e => (e.Kind, e.Id, e.TaskId)), Is.EquivalentTo(new[]
        {
            (CredentialKind.Jwt, "jti-1", "t1"),
            (CredentialKind.X509, "ff", "t1"),
        }));
    }

    [Test]
    public void IsRevoked_AfterExpiryPlusRetention_FalseAndPruned()
    {
        // Arrange
        list.Revoke("t1", [IssuedCredential.Jwt("short", Start.AddMinutes(1)), IssuedCredential.Jwt("long", Start.AddMinutes(30))]);

        // Act
        time.Advance(TimeSpan.FromMinutes(1) + Retention - TimeSpan.FromTicks(1));
        var justBefore = list.IsRevokedJti("short");
        time.Advance(TimeSpan.FromTicks(1));
        var atBoundary = list.IsRevokedJti("short");
        var dropped = list.Prune();

        // Assert
        Assert.That(justBefore, Is.True);
        Assert.That(atBoundary, Is.False);
        Assert.That(dropped, Is.EqualTo(1));
        Assert.That(list.Snapshot().Select(e => e.Id), Is.EqualTo(new[] { "long" }));
        Assert.That(File.ReadAllText(Path.Combine(directory, "revocations.json")), Does.Not.Contain("short"));
    }

    [Test]
    public void Revoke_AlreadyExpiredCredential_IsSkipped()
    {
        // Act
        var added = list.Revoke("t1", [IssuedCredential.Jwt("stale", Start - Retention - TimeSpan.FromSeconds(1))]);

        // Assert
        Assert.That(added, Is.Empty);
        Assert.That(list.Snapshot(), Is.Empty);
    }

    [Test]
    public void SelectRetained_FunctionOfNow_KeepsOnlyUnexpired()
    {
        // Arrange
        var entries = new[]
        {
            new RevokedCredential(CredentialKind.Jwt, "a", "t", Start, Start.AddMinutes(1)),
            new RevokedCredential(CredentialKind.Jwt, "b", "t", Start, Start.AddMinutes(2)),
        };

        // Act
        var atStart = RevocationList.SelectRetained(entries, Start, TimeSpan.Zero).Select(e => e.Id);
        var between = RevocationList.SelectRetained(entries, Start.AddSeconds(90), TimeSpan.Zero).Select(e => e.Id);
        var withRetention = RevocationList.SelectRetained(entries, Start.AddSeconds(90), TimeSpan.FromMinutes(1)).Select(e => e.Id);
        var after = RevocationList.SelectRetained(entries, Start.AddMinutes(2), TimeSpan.Zero).Select(e => e.Id);

        // Assert
        Assert.That(atStart, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(between, Is.EqualTo(new[] { "b" }));
        Assert.That(withRetention, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(after, Is.Empty);
    }

    [Test]
    public void Constructor_ExistingFile_RestoresEntries()
    {
        // Arrange
        list.Revoke("t1", [IssuedCredential.Jwt("persisted", Start.AddMinutes(10))]);

        // Act
        var reopened = Create();

        // Assert
        Assert.That(reopened.IsRevokedJti("persisted"), Is.True);
        Assert.That(File.GetUnixFileMode(Path.Combine(directory, "revocations.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Constructor_CorruptFile_StateCorrupt()
    {
        // Arrange
        File.WriteAllText(Path.Combine(directory, "revocations.json"), "[1,2");

        // Act
        var error = Assert.Throws<TaskException>(() => Create());

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.StateCorrupt));
    }

    [Test]
    public async Task Watch_Subscribed_GetsSnapshotThenRevocations()
    {
        // Arrange
        list.Revoke("t1", [IssuedCredential.Jwt("before", Start.AddMinutes(10))]);
        using var stop = new CancellationTokenSource();
        await using var watch = list.Watch(stop.Token).GetAsyncEnumerator();

        // Act
        await watch.MoveNextAsync().AsTask().WithTimeout();
        var snapshot = watch.Current;
        list.Revoke("t2", [IssuedCredential.Jwt("after", Start.AddMinutes(10))]);
        await watch.MoveNextAsync().AsTask().WithTimeout();
        var revoked = watch.Current;

        // Assert
        Assert.That(snapshot.Kind, Is.EqualTo(RevocationEventKind.Snapshot));
        Assert.That(snapshot.Credentials.Select(c => c.Id), Is.EqualTo(new[] { "before" }));
        Assert.That(revoked.Kind, Is.EqualTo(RevocationEventKind.Revoked));
        Assert.That(revoked.Credentials.Select(c => (c.Id, c.TaskId)), Is.EqualTo(new[] { ("after", "t2") }));
    }

    [TestCase("not-hex")]
    [TestCase("")]
    [TestCase("0x")]
    public void NormalizeSerial_NotHex_Throws(string serial)
    {
        // Act + Assert
        Assert.That(() => IssuedCredential.NormalizeSerial(serial), Throws.ArgumentException);
    }

    [TestCase("00", "0")]
    [TestCase("0A:1B", "a1b")]
    [TestCase("0x0012AB", "12ab")]
    public void NormalizeSerial_Hex_IsCanonical(string serial, string expected)
    {
        // Act + Assert
        Assert.That(IssuedCredential.NormalizeSerial(serial), Is.EqualTo(expected));
    }

    private RevocationList Create() => new(
        Options.Create(new TaskOptions { DataDirectory = directory, RevocationRetention = Retention }),
        time,
        new ListLogger<RevocationList>());
}
