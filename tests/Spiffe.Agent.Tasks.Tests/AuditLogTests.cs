using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Policy;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider time = null!;
    private string directory = null!;
    private ListLogger<AuditLog> logger = null!;

    private string CurrentFile => Path.Combine(directory, "audit.log");

    [SetUp]
    public void SetUp()
    {
        time = new FakeTimeProvider(Start);
        directory = Path.Combine(Directory.CreateTempSubdirectory("spiffe-audit-test-").FullName, "audit");
        logger = new ListLogger<AuditLog>();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);

    [Test]
    public void Append_Records_ChainVerifies()
    {
        // Arrange
        using var log = Create();

        // Act
        AppendIssues(log, 5);

        // Assert
        var result = AuditVerifier.Verify(log.Files());
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.RecordCount, Is.EqualTo(5));
        Assert.That(result.FirstSeq, Is.Zero);
    }

    [Test]
    public void Append_IssueRecord_WritesEveryFieldInOrder()
    {
        // Arrange
        using var log = Create();

        // Act
        log.Append(new AuditRecord
        {
            Event = AuditEvent.Issue,
            Pid = 42,
            Uid = 1000,
            Executable = "/usr/bin/agent",
            ExecutableSha256 = new string('a', 64),
            Cgroup = "/tasks/task-t1",
            TaskId = "t1",
            ParentTaskId = "p1",
            SpiffeId = "spiffe://example.org/agent/researcher",
            Audiences = ["https://api"],
            Jti = "jti-1",
            TtlSeconds = 60,
            Method = "FetchJWTSVID",
            Intent = "read",
            DataClass = "public",
            Decision = AuditDecision.Allow,
            Policies = [new PolicyRef("p", new string('b', 64))],
        });

        // Assert
        var line = File.ReadAllText(CurrentFile);
        Assert.That(line, Does.StartWith(
            """{"seq":0,"time":"2026-11-28T12:00:00.0000000Z","event":"issue","pid":42,"uid":1000,"exe":"/usr/bin/agent","exe_sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","cgroup":"/tasks/task-t1","task":"t1","parent_task":"p1","spiffe_id":"spiffe://example.org/agent/researcher","audiences":["https://api"],"jti":"jti-1","ttl_seconds":60,"method":"FetchJWTSVID","intent":"read","data_class":"public","decision":"allow","policies":[{"name":"p","sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}],"prev":"0000000000000000000000000000000000000000000000000000000000000000","hash":"""));
        Assert.That(line, Does.EndWith("\"}\n"));
        Assert.That(File.GetUnixFileMode(CurrentFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Verify_FieldEdited_ReportsThatRecord()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 5);
        }

        // Act
        EditLine(CurrentFile, 2, l => l.Replace("\"jti\":\"jti-2\"", "\"jti\":\"jti-X\"", StringComparison.Ordinal));
        var result = AuditVerifier.Verify(CurrentFile);

        // Assert
        Assert.That(result.FirstProblem, Is.EqualTo(new AuditTamper(2, CurrentFile, 3, AuditProblem.Modified, "record content does not match its hash: it was edited")));
    }

    [Test]
    public void Verify_FieldEditedAndRehashed_ReportsTheNextRecordAsUnchained()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 5);
        }

        // Act
        EditLine(CurrentFile, 2, Rehash(l => l.Replace("\"jti\":\"jti-2\"", "\"jti\":\"jti-X\"", StringComparison.Ordinal)));
        var result = AuditVerifier.Verify(CurrentFile);

        // Assert
        Assert.That(result.FirstProblem!.Index, Is.EqualTo(3));
        Assert.That(result.FirstProblem.Problem, Is.EqualTo(AuditProblem.ChainBroken));
    }

    [Test]
    public void Verify_RecordDeleted_ReportsItsPosition()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 5);
        }

        // Act
        var lines = File.ReadAllLines(CurrentFile).ToList();
        lines.RemoveAt(2);
        File.WriteAllLines(CurrentFile, lines);
        var result = AuditVerifier.Verify(CurrentFile);

        // Assert
        Assert.That(result.FirstProblem!.Index, Is.EqualTo(2));
        Assert.That(result.FirstProblem.Problem, Is.EqualTo(AuditProblem.ChainBroken));
        Assert.That(result.RecordCount, Is.EqualTo(2));
    }

    [Test]
    public void Verify_RecordsSwapped_ReportsTheFirstOfThem()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 5);
        }

        // Act
        var lines = File.ReadAllLines(CurrentFile);
        (lines[1], lines[2]) = (lines[2], lines[1]);
        File.WriteAllLines(CurrentFile, lines);
        var result = AuditVerifier.Verify(CurrentFile);

        // Assert
        Assert.That(result.FirstProblem!.Index, Is.EqualTo(1));
        Assert.That(result.FirstProblem.Line, Is.EqualTo(2));
        Assert.That(result.FirstProblem.Problem, Is.EqualTo(AuditProblem.ChainBroken));
    }

    [Test]
    public void Verify_NotJsonLine_Malformed()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 3);
        }

        // Act
        EditLine(CurrentFile, 1, _ => "garbage");
        var result = AuditVerifier.Verify(CurrentFile);

        // Assert
        Assert.That(result.FirstProblem!.Index, Is.EqualTo(1));
        Assert.That(result.FirstProblem.Problem, Is.EqualTo(AuditProblem.Malformed));
    }

    [Test]
    public void Append_PastMaxFileBytes_RotatesAndChainsAcrossFiles()
    {
        // Arrange
        using var log = Create(maxFileBytes: 4096);

        // Act
        AppendIssues(log, 40);

        // Assert
        var files = log.Files();
        Assert.That(files, Has.Count.GreaterThan(2));
        Assert.That(files[^1], Is.EqualTo(CurrentFile));
        Assert.That(files.Select(f => new FileInfo(f).Length), Is.All.LessThanOrEqualTo(4096));
        var lastOfPrevious = File.ReadAllLines(files[^2])[^1];
        var firstOfCurrent = File.ReadAllLines(files[^1])[0];
        Assert.That(firstOfCurrent, Does.Contain($"\"prev\":\"{HashOf(lastOfPrevious)}\""));
        var result = AuditVerifier.Verify(files);
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.RecordCount, Is.EqualTo(40));
        Assert.That(logger.EventNames, Does.Contain("AuditRotated"));
    }

    [Test]
    public void Verify_LastRecordOfRotatedFileDeleted_ReportsFirstRecordOfNextFile()
    {
        // Arrange
        IReadOnlyList<string> files;
        using (var log = Create(maxFileBytes: 4096))
        {
            AppendIssues(log, 40);
            files = log.Files();
        }

        var previous = files[^2];
        var before = files.Take(files.Count - 1).Sum(f => File.ReadAllLines(f).Length);
        var lines = File.ReadAllLines(previous);
        File.WriteAllLines(previous, lines[..^1]);

        // Act
        var result = AuditVerifier.Verify(files);

        // Assert
        Assert.That(result.FirstProblem!.Index, Is.EqualTo(before - 1));
        Assert.That(result.FirstProblem.File, Is.EqualTo(CurrentFile));
        Assert.That(result.FirstProblem.Line, Is.EqualTo(1));
        Assert.That(result.FirstProblem.Problem, Is.EqualTo(AuditProblem.ChainBroken));
    }

    [Test]
    public void Verify_FirstRecordOfCurrentFileEdited_ReportsItAcrossTheBoundary()
    {
        // Arrange
        IReadOnlyList<string> files;
        using (var log = Create(maxFileBytes: 4096))
        {
            AppendIssues(log, 40);
            files = log.Files();
        }

        var before = files.Take(files.Count - 1).Sum(f => File.ReadAllLines(f).Length);

        // Act
        EditLine(CurrentFile, 0, l => l.Replace("\"pid\":", "\"pid\":1", StringComparison.Ordinal));
        var result = AuditVerifier.Verify(files);

        // Assert
        Assert.That(result.FirstProblem, Is.EqualTo(new AuditTamper(before, CurrentFile, 1, AuditProblem.Modified, "record content does not match its hash: it was edited")));
    }

    [Test]
    public void Append_BeyondMaxFiles_DropsOldestAndRemainingChainVerifiesFromAnchor()
    {
        // Arrange
        using var log = Create(maxFileBytes: 4096, maxFiles: 2);

        // Act
        AppendIssues(log, 60);

        // Assert
        var files = log.Files();
        Assert.That(files, Has.Count.EqualTo(2));
        var result = AuditVerifier.Verify(files);
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.FirstSeq, Is.GreaterThan(0));
    }

    [Test]
    public void Append_Reopened_ContinuesChain()
    {
        // Arrange
        using (var first = Create())
        {
            AppendIssues(first, 3);
        }

        // Act
        using (var second = Create())
        {
            AppendIssues(second, 2);
        }

        // Assert
        var result = AuditVerifier.Verify(CurrentFile);
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.RecordCount, Is.EqualTo(5));
        Assert.That(File.ReadAllLines(CurrentFile)[^1], Does.StartWith("{\"seq\":4,"));
    }

    [Test]
    public void Append_ReopenedAfterRotation_ChainsToRotatedFile()
    {
        // Arrange: a rotation leaves the new current file empty until the next append.
        using (var first = Create(maxFileBytes: 4096))
        {
            AppendIssues(first, 40);
        }

        File.WriteAllText(CurrentFile, string.Empty);
        var files = AuditVerifier.ChronologicalFiles(directory, "audit.log");

        // Act
        using (var second = Create(maxFileBytes: 4096))
        {
            AppendIssues(second, 1);
        }

        // Assert
        var lastOfPrevious = File.ReadAllLines(files[^2])[^1];
        Assert.That(File.ReadAllText(CurrentFile), Does.Contain($"\"prev\":\"{HashOf(lastOfPrevious)}\""));
    }

    [Test]
    public void Append_AfterCrashMidWrite_CutsTornLineAndContinues()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 3);
        }

        File.AppendAllText(CurrentFile, "{\"seq\":3,\"time\":\"2026-");

        // Act
        using (var log = Create())
        {
            AppendIssues(log, 1);
        }

        // Assert
        Assert.That(AuditVerifier.Verify(CurrentFile).IsValid, Is.True);
        Assert.That(File.ReadAllLines(CurrentFile), Has.Length.EqualTo(4));
        Assert.That(logger.EventNames, Does.Contain("AuditTornTailCut"));
    }

    [Test]
    public void Verify_TornLastLine_Malformed()
    {
        // Arrange
        using (var log = Create())
        {
            AppendIssues(log, 2);
        }

        File.AppendAllText(CurrentFile, "{\"seq\":2");

        // Act
        var result = AuditVerifier.Verify(CurrentFile);

        // Assert
        Assert.That(result.FirstProblem!.Index, Is.EqualTo(2));
        Assert.That(result.FirstProblem.Problem, Is.EqualTo(AuditProblem.Malformed));
    }

    [Test]
    public async Task Append_ConcurrentWriters_ChainStaysValid()
    {
        // Arrange
        using var log = Create(maxFileBytes: 16 * 1024);

        // Act
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                log.Append(new AuditRecord { Event = AuditEvent.Attestation, Pid = (w * 100) + i });
            }
        }))).WithTimeout();

        // Assert
        var result = AuditVerifier.Verify(log.Files());
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.RecordCount, Is.EqualTo(400));
    }

    [TestCase("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----")]
    [TestCase("-----BEGIN CERTIFICATE-----")]
    public void Append_ValueShapedLikeCredential_Rejected(string secret)
    {
        // Arrange
        using var log = Create();

        // Act + Assert
        Assert.That(() => log.Append(new AuditRecord { Event = AuditEvent.Issue, Jti = secret }), Throws.ArgumentException);
        Assert.That(() => log.Append(new AuditRecord { Event = AuditEvent.Denial, Reason = "token was " + secret }), Throws.ArgumentException);
        Assert.That(() => log.Append(new AuditRecord { Event = AuditEvent.Issue, Audiences = ["a", secret] }), Throws.ArgumentException);
        Assert.That(File.Exists(CurrentFile), Is.False);
    }

    [Test]
    public void AuditRecord_Shape_HasNoFieldForACredential()
    {
        // Arrange
        string[] forbidden = ["token", "key", "secret", "pem", "svid", "certificate", "bundle", "password"];

        // Act
        var names = typeof(AuditRecord).GetProperties().Select(p => p.Name.ToLowerInvariant()).ToArray();

        // Assert
        Assert.That(names, Has.None.Matches<string>(n => forbidden.Any(f => n.Contains(f, StringComparison.Ordinal))));
        Assert.That(
            typeof(AuditRecord).GetProperties().Select(p => p.PropertyType),
            Has.All.Matches<Type>(t => t == typeof(string) || t == typeof(int?) || t == typeof(long?) || t == typeof(AuditEvent)
                || t == typeof(AuditDecision?) || t == typeof(IReadOnlyList<string>) || t == typeof(IReadOnlyList<PolicyRef>)));
    }

    [Test]
    public void ChronologicalFiles_RotatedFiles_OldestFirst()
    {
        // Arrange
        Directory.CreateDirectory(directory);
        foreach (var name in new[] { "audit.log", "audit.log.1", "audit.log.10", "audit.log.2", "audit.log.x", "other.log" })
        {
            File.WriteAllText(Path.Combine(directory, name), string.Empty);
        }

        // Act
        var files = AuditVerifier.ChronologicalFiles(directory, "audit.log");

        // Assert
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "audit.log.10", "audit.log.2", "audit.log.1", "audit.log" }));
    }

    private AuditLog Create(long maxFileBytes = 1024 * 1024, int maxFiles = 10) => new(
        Options.Create(new AuditOptions { Directory = directory, MaxFileBytes = maxFileBytes, MaxFiles = maxFiles }),
        time,
        logger);

    private void AppendIssues(AuditLog log, int count)
    {
        for (var i = 0; i < count; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            log.Append(new AuditRecord
            {
                Event = AuditEvent.Issue,
                Pid = 100 + i,
                TaskId = "t1",
                SpiffeId = "spiffe://example.org/agent/researcher",
                Audiences = ["https://api.example.org"],
                Jti = $"jti-{i}",
                TtlSeconds = 60,
                Decision = AuditDecision.Allow,
            });
        }
    }

    private static void EditLine(string path, int index, Func<string, string> edit)
    {
        var lines = File.ReadAllLines(path);
        lines[index] = edit(lines[index]);
        File.WriteAllLines(path, lines);
    }

    /// <summary>An edit by someone who also recomputes the record's own hash.</summary>
    private static Func<string, string> Rehash(Func<string, string> edit) => line =>
    {
        var canonical = AuditLine.Unseal(Encoding.UTF8.GetBytes(line))!.Value.Canonical;
        var edited = Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(canonical)));
        return Encoding.UTF8.GetString(AuditLine.Seal(edited, out _));
    };

    private static string HashOf(string line) => AuditLine.Unseal(Encoding.UTF8.GetBytes(line))!.Value.Hash;
}
