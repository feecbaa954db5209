using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class OptionsValidatorTests
{
    /// <summary>Invalid options by case name, with the setting the failure must name.</summary>
    private static readonly Dictionary<string, (TaskOptions Options, string Setting)> InvalidTaskOptions = new()
    {
        ["RelativeDataDirectory"] = (new TaskOptions { DataDirectory = "relative" }, "DataDirectory"),
        ["AbsoluteCgroupParent"] = (new TaskOptions { CgroupParent = "/abs" }, "CgroupParent"),
        ["DotDotCgroupParent"] = (new TaskOptions { CgroupParent = "a/../b" }, "CgroupParent"),
        ["RelativeCgroupMount"] = (new TaskOptions { CgroupMount = "sys/fs" }, "CgroupMount"),
        ["ZeroMaxTtl"] = (new TaskOptions { MaxTtl = TimeSpan.Zero }, "MaxTtl"),
        ["DefaultOverMax"] = (new TaskOptions { DefaultTtl = TimeSpan.FromDays(1) }, "DefaultTtl"),
        ["MonitorIntervalOverHalfSecond"] = (new TaskOptions { MonitorInterval = TimeSpan.FromSeconds(1) }, "MonitorInterval"),
        ["NegativeRetention"] = (new TaskOptions { RevocationRetention = TimeSpan.FromSeconds(-1) }, "RevocationRetention"),
    };

    private static IEnumerable<string> InvalidTaskOptionNames => InvalidTaskOptions.Keys;

    [Test]
    public void Validate_DefaultTaskOptions_Succeeds()
    {
        // Act
        var result = new TaskOptionsValidator().Validate(null, new TaskOptions());

        // Assert
        Assert.That(result.Succeeded, Is.True);
    }

    [TestCaseSource(nameof(InvalidTaskOptionNames))]
    public void Validate_InvalidTaskOptions_NamesTheSetting(string invalidCase)
    {
        // Arrange
        var (options, setting) = InvalidTaskOptions[invalidCase];

        // Act
        var result = new TaskOptionsValidator().Validate(null, options);

        // Assert
        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(setting));
    }

    [Test]
    public void Validate_AuditOptions_ChecksEachSetting()
    {
        // Arrange
        var validator = new AuditOptionsValidator();

        // Act
        var defaults = validator.Validate(null, new AuditOptions());
        var invalid = validator.Validate(null, new AuditOptions { Directory = "x", FileName = "a/b", MaxFileBytes = 10, MaxFiles = 1 });

        // Assert
        Assert.That(defaults.Succeeded, Is.True);
        Assert.That(invalid.Failures?.Count(), Is.EqualTo(4));
    }

    [Test]
    public void Validate_PolicyOptions_ChecksEachSetting()
    {
        // Arrange
        var validator = new PolicyOptionsValidator();

        // Act
        var defaults = validator.Validate(null, new PolicyOptions());
        var invalid = validator.Validate(null, new PolicyOptions { Directory = "rel", ReloadInterval = TimeSpan.Zero });

        // Assert
        Assert.That(defaults.Succeeded, Is.True);
        Assert.That(invalid.Failures?.Count(), Is.EqualTo(2));
    }
}
